#include "store/store.h"

namespace salesradar::store {

Transaction::~Transaction() {
  if (open_ && store_.InTransaction()) {
    // The error of a failed rollback has nowhere to go; the backend logs it.
    (void)store_.Rollback();
  }
}

Status Transaction::Begin() {
  SR_RETURN_IF_ERROR(store_.Begin());
  open_ = true;
  return OkStatus();
}

Status Transaction::Commit() {
  open_ = false;
  return store_.Commit();
}

}  // namespace salesradar::store
