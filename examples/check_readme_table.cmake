# Fails when README.md's formats table differs from `sparq-explore formats --markdown`.
execute_process(COMMAND "${EXPLORE}" formats --markdown OUTPUT_VARIABLE table RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "sparq-explore formats --markdown failed")
endif()
file(READ "${README}" readme)
string(FIND "${readme}" "${table}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "README.md's formats table is stale; replace it with the output of "
                      "`sparq-explore formats --markdown`:\n${table}")
endif()
