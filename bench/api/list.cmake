# The record list benchmark (list_bench.cc): GET /api/v1/activities over HTTP against the same
# store query in-process, on an SQLite file with 1,000,000 activities by default.
if(NOT TARGET salesradar_api)
  return()
endif()
add_executable(list_bench
  "${CMAKE_CURRENT_LIST_DIR}/list_bench.cc"
  "${PROJECT_SOURCE_DIR}/src/server/test_client.cc")
target_link_libraries(list_bench PRIVATE salesradar_api SQLite::SQLite3 fmt::fmt CLI11::CLI11
                      nlohmann_json::nlohmann_json Boost::headers Threads::Threads)
target_compile_definitions(list_bench PRIVATE BOOST_BEAST_USE_STD_STRING_VIEW
                           BOOST_ASIO_NO_DEPRECATED)
salesradar_set_warnings(list_bench)
