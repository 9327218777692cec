# cmake -DSOURCE= -DBINARY= -DSPARQ_SOURCE= -P check.cmake: configures the project above with only
# the broken config on the prefix path; succeeds when configure succeeds and names the drop.
file(REMOVE_RECURSE "${BINARY}")
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE}" -B "${BINARY}" "-DSPARQ_SOURCE=${SPARQ_SOURCE}"
                        "-DCMAKE_PREFIX_PATH=${SOURCE}/prefix" -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF
                        "-Ddnnl_DIR=${SOURCE}/prefix/lib/cmake/dnnl"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configure failed with a broken optional config:\n${out}\n${err}")
endif()
if(NOT out MATCHES "optional dnnl: not found")
  message(FATAL_ERROR "no line saying the dnnl baseline is dropped:\n${out}")
endif()
message(STATUS "broken optional config dropped: ok")
