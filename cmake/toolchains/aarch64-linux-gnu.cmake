# SPDX-License-Identifier: Apache-2.0
# Cross-compiling sparq's tests for 64-bit Arm Linux with Debian's g++-aarch64-linux-gnu, run
# under qemu-aarch64 (Debian's qemu-user) through ctest:
#   cmake -S . -B build/aarch64 --toolchain cmake/toolchains/aarch64-linux-gnu.cmake
# The header-only dependencies (xsimd, xtl, Catch2) are the host's: the cross compiler searches
# /usr/include last, so their arch-independent headers serve both. Debian installs xsimd's CMake
# config under the host's multiarch directory, which a cross build does not search: point at it.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# The target's C and C++ runtime libraries (Debian's libc6-dev-arm64-cross, libstdc++ ...).
set(SPARQ_CROSS_SYSROOT /usr/aarch64-linux-gnu)
find_program(SPARQ_QEMU_AARCH64 qemu-aarch64)
if(SPARQ_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${SPARQ_QEMU_AARCH64};-L;${SPARQ_CROSS_SYSROOT}")
endif()
if(NOT DEFINED xsimd_DIR)
  file(GLOB _sparq_xsimd_configs "/usr/lib/*/cmake/xsimd/xsimdConfig.cmake")
  if(_sparq_xsimd_configs)
    list(GET _sparq_xsimd_configs 0 _sparq_xsimd_config)
    get_filename_component(xsimd_DIR "${_sparq_xsimd_config}" DIRECTORY)
    set(xsimd_DIR "${xsimd_DIR}" CACHE PATH "xsimd's CMake config (header-only: the host's serves)")
  endif()
endif()
