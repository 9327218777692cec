# SPDX-License-Identifier: Apache-2.0
# Runs sparq-explore with ARGS (a ;-list) and checks its exit code and output:
#   cmake -DEXPLORE=<exe> -DARGS=<a;b> -DRC=<n> [-DSTDOUT=<regex>] [-DSTDERR=<regex>]
#         [-DWORKDIR=<dir>] -P check_cli.cmake
if(NOT DEFINED WORKDIR)
  set(WORKDIR "${CMAKE_CURRENT_BINARY_DIR}")
endif()
execute_process(COMMAND "${EXPLORE}" ${ARGS} WORKING_DIRECTORY "${WORKDIR}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL RC)
  message(FATAL_ERROR "sparq-explore ${ARGS}: exit code ${rc}, expected ${RC}\nstdout: ${out}\nstderr: ${err}")
endif()
if(DEFINED STDOUT AND NOT out MATCHES "${STDOUT}")
  message(FATAL_ERROR "sparq-explore ${ARGS}: stdout does not match '${STDOUT}'\nstdout: ${out}")
endif()
if(DEFINED STDERR AND NOT err MATCHES "${STDERR}")
  message(FATAL_ERROR "sparq-explore ${ARGS}: stderr does not match '${STDERR}'\nstderr: ${err}")
endif()
