#include "auth/sodium_init.h"

#include <cstdlib>

#include <sodium.h>

#include "common/logging.h"

namespace salesradar::auth {

void EnsureSodium() {
  // sodium_init is itself thread-safe and returns 1 when already initialised.
  static const bool initialised = [] {
    if (sodium_init() < 0) {
      Logger("auth")->critical("libsodium failed to initialise; no secret can be generated");
      std::abort();
    }
    return true;
  }();
  (void)initialised;
}

}  // namespace salesradar::auth
