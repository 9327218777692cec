# SPDX-License-Identifier: Apache-2.0
# Probes for sparq's optional dependencies (baselines, interop tests, GPU tests). Each probe that
# fails, for whatever reason, drops its feature with one line saying so; none stops the configure
# step. A package's CMake config can itself fail hard (Debian's oneDNN config calls
# find_package(OpenCL REQUIRED)), so config packages are first tried in a child CMake process.
#
# SPARQ_HIDE_OPTIONAL=ON hides every optional dependency at once: what a machine with none of them
# installed would see (.ci/run builds the tool and a test binary that way on every run).
option(SPARQ_HIDE_OPTIONAL "Treat every optional dependency as not installed" OFF)

# sparq_optional_package(<Package> <target> [COMPONENTS ...]): find_package(<Package> CONFIG) in a
# child process first; only when that succeeds and defines <target> is it found here too.
# Sets SPARQ_HAVE_<Package> (cached per build tree).
function(sparq_optional_package package target)
  cmake_parse_arguments(ARG "" "" "COMPONENTS" ${ARGN})
  set(_var SPARQ_HAVE_${package})
  if(SPARQ_HIDE_OPTIONAL)
    set(${_var} FALSE PARENT_SCOPE)
    message(STATUS "sparq: optional ${package}: hidden (SPARQ_HIDE_OPTIONAL)")
    return()
  endif()
  if(NOT DEFINED CACHE{SPARQ_PROBE_${package}})
    set(_dir "${CMAKE_BINARY_DIR}/sparq_probe/${package}")
    set(_components "")
    if(ARG_COMPONENTS)
      set(_components "COMPONENTS ${ARG_COMPONENTS}")
    endif()
    file(WRITE "${_dir}/CMakeLists.txt"
         "cmake_minimum_required(VERSION 3.21)\nproject(sparq_probe LANGUAGES CXX)\n"
         "find_package(${package} CONFIG REQUIRED ${_components})\n"
         "if(NOT TARGET ${target})\n  message(FATAL_ERROR \"no target ${target}\")\nendif()\n")
    set(_hint)
    if(DEFINED ${package}_DIR AND ${package}_DIR)
      set(_hint "-D${package}_DIR=${${package}_DIR}")
    endif()
    execute_process(COMMAND "${CMAKE_COMMAND}" -S "${_dir}" -B "${_dir}/build"
                            "-DCMAKE_PREFIX_PATH=${CMAKE_PREFIX_PATH}" "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}" ${_hint}
                    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
    if(_rc EQUAL 0)
      set(SPARQ_PROBE_${package} TRUE CACHE INTERNAL "")
    else()
      string(REGEX REPLACE "[ \t\r\n]+" " " _flat "${_err}")
      string(REGEX MATCH "Could NOT find [^)]*\\)|Could not find a package configuration file provided by \"[^\"]*\"|no target [^ ]*"
             _why "${_flat}")
      if(NOT _why)
        set(_why "its CMake config failed")
      endif()
      set(SPARQ_PROBE_${package} FALSE CACHE INTERNAL "")
      set(SPARQ_PROBE_${package}_WHY "${_why}" CACHE INTERNAL "")
    endif()
  endif()
  if(SPARQ_PROBE_${package})
    find_package(${package} CONFIG QUIET ${ARG_COMPONENTS})
  endif()
  if(SPARQ_PROBE_${package} AND TARGET ${target})
    set(${_var} TRUE PARENT_SCOPE)
    message(STATUS "sparq: optional ${package}: found")
  else()
    set(${_var} FALSE PARENT_SCOPE)
    message(STATUS "sparq: optional ${package}: not found (${SPARQ_PROBE_${package}_WHY}); dropping what needs it")
  endif()
endfunction()

# sparq_optional_library(<name> <header> <library>): a plain C library (OpenBLAS's cblas).
# Sets SPARQ_HAVE_<name>, SPARQ_<name>_INCLUDE and SPARQ_<name>_LIBRARY.
function(sparq_optional_library name header library)
  if(SPARQ_HIDE_OPTIONAL)
    set(SPARQ_HAVE_${name} FALSE PARENT_SCOPE)
    message(STATUS "sparq: optional ${name}: hidden (SPARQ_HIDE_OPTIONAL)")
    return()
  endif()
  find_path(SPARQ_${name}_INCLUDE ${header} PATH_SUFFIXES openblas)
  find_library(SPARQ_${name}_LIBRARY NAMES ${library})
  if(SPARQ_${name}_INCLUDE AND SPARQ_${name}_LIBRARY)
    set(SPARQ_HAVE_${name} TRUE PARENT_SCOPE)
    message(STATUS "sparq: optional ${name}: found (${SPARQ_${name}_LIBRARY})")
  else()
    set(SPARQ_HAVE_${name} FALSE PARENT_SCOPE)
    message(STATUS "sparq: optional ${name}: not found (${header} / lib${library}); dropping what needs it")
  endif()
endfunction()

# sparq_optional_module(<Package> <target> [COMPONENTS ...]): a find module (OpenMP, Python3).
function(sparq_optional_module package target)
  cmake_parse_arguments(ARG "" "" "COMPONENTS" ${ARGN})
  if(SPARQ_HIDE_OPTIONAL)
    set(SPARQ_HAVE_${package} FALSE PARENT_SCOPE)
    message(STATUS "sparq: optional ${package}: hidden (SPARQ_HIDE_OPTIONAL)")
    return()
  endif()
  if(ARG_COMPONENTS)
    find_package(${package} QUIET COMPONENTS ${ARG_COMPONENTS})
  else()
    find_package(${package} QUIET)
  endif()
  if(TARGET ${target})
    set(SPARQ_HAVE_${package} TRUE PARENT_SCOPE)
  else()
    set(SPARQ_HAVE_${package} FALSE PARENT_SCOPE)
    message(STATUS "sparq: optional ${package}: not found; dropping what needs it")
  endif()
endfunction()
