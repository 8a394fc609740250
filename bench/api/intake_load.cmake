# The HTTP load shared by intake_bench and intake_pg_bench, with the test HTTP client it uses.
add_library(intake_load STATIC "${CMAKE_CURRENT_LIST_DIR}/intake_load.cc" "${PROJECT_SOURCE_DIR}/src/server/test_client.cc")
target_include_directories(intake_load PUBLIC "${PROJECT_SOURCE_DIR}")
target_link_libraries(intake_load PUBLIC salesradar_auth salesradar_store fmt::fmt nlohmann_json::nlohmann_json
  Boost::headers Threads::Threads)
target_compile_definitions(intake_load PRIVATE BOOST_BEAST_USE_STD_STRING_VIEW BOOST_ASIO_NO_DEPRECATED)
salesradar_set_warnings(intake_load)
