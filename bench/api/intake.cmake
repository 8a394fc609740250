# POST /api/v1/events over HTTP (single events and NDJSON batches) next to Store::AppendEvents
# in process, in one run. See docs/benchmarks.md for the recorded figures.
add_executable(intake_bench "${CMAKE_CURRENT_LIST_DIR}/intake_bench.cc")
target_link_libraries(intake_bench PRIVATE intake_load salesradar_api salesradar_store fmt::fmt)
salesradar_set_warnings(intake_bench)
