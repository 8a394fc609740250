// A notify worker in its own process, for the SIGKILL test: runs over the SQLite file given as
// the first argument with the secret key in the second until it is killed.
#include <unistd.h>

#include <cstdio>

#include "notify/worker.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: notify_worker_child DATABASE SECRET_KEY\n");
    return 2;
  }
  salesradar::notify::WorkerOptions options;
  options.database = argv[1];
  options.secret_key_path = argv[2];
  options.poll = std::chrono::milliseconds(20);
  options.digest.enabled = false;
  auto worker = salesradar::notify::Worker::Open(options);
  if (!worker.ok()) {
    std::fprintf(stderr, "notify_worker_child: %s\n", worker.error().ToLogString().c_str());
    return 1;
  }
  (*worker)->Start();
  while (true) pause();
}
