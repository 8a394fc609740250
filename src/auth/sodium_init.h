// libsodium initialisation, shared by every file of the auth library.
#pragma once

namespace salesradar::auth {

// Initialises libsodium once per process; later calls return at once. Thread-safe. Aborts the
// process when libsodium cannot initialise, because no secret may be generated without it.
void EnsureSodium();

}  // namespace salesradar::auth
