# SPDX-License-Identifier: Apache-2.0
# cmake -DPROBE=<cpu_has> -DFEATURE=<arch> -DTEST=<binary> -P run_if_cpu_has.cmake
# Runs TEST when the CPU has FEATURE (asked of PROBE, a binary without arch flags, so TEST never
# starts on a CPU that cannot run it); otherwise prints "SKIPPED: ..." (the test's
# SKIP_REGULAR_EXPRESSION), never a pass.
execute_process(COMMAND "${PROBE}" "${FEATURE}" RESULT_VARIABLE has)
if(NOT has EQUAL 0)
  message("SKIPPED: this CPU lacks ${FEATURE}")
  return()
endif()
execute_process(COMMAND "${TEST}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${TEST} failed (${rc})")
endif()
