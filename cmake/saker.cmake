# Helpers shared by every component.
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(Threads REQUIRED)
find_package(doctest QUIET)
find_path(DOCTEST_INCLUDE_DIR doctest/doctest.h)

# saker_add_test(NAME SOURCES... LIBS ...): a doctest executable registered with ctest.
function(saker_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES} ${CMAKE_SOURCE_DIR}/tests/doctest_main.cpp)
  target_include_directories(${name} PRIVATE ${DOCTEST_INCLUDE_DIR})
  target_link_libraries(${name} PRIVATE ${T_LIBS})
  target_compile_definitions(${name} PRIVATE
    SAKER_TESTDATA_DIR="${SAKER_TESTDATA_DIR}"
    SAKER_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
    SAKER_PLUGIN_DIR="${SAKER_PLUGIN_OUTPUT_DIR}")
  add_test(NAME ${name} COMMAND ${name})
endfunction()

# saker_add_plugin(NAME SOURCES...): a plugin shared library placed in build/plugins.
function(saker_add_plugin name)
  cmake_parse_arguments(P "" "" "SOURCES;LIBS" ${ARGN})
  add_library(${name} MODULE ${P_SOURCES})
  target_link_libraries(${name} PRIVATE saker_sdk ${P_LIBS})
  set_target_properties(${name} PROPERTIES
    LIBRARY_OUTPUT_DIRECTORY ${SAKER_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    PREFIX "lib")
endfunction()
