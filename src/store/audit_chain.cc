#include <fmt/format.h>

#include "auth/digest.h"
#include "store/audit.h"

namespace salesradar::store {
namespace {

void AppendField(std::string* out, std::string_view value) {
  *out += std::to_string(value.size());
  *out += ':';
  *out += value;
  *out += '\n';
}

void AppendOptionalField(std::string* out, const std::optional<std::string>& value) {
  if (!value) {
    *out += "~\n";
    return;
  }
  AppendField(out, *value);
}

}  // namespace

std::string CanonicalAuditRow(const AuditEntry& entry) {
  std::string out = "salesradar-audit-v1\n";
  AppendField(&out, std::to_string(entry.id));
  AppendField(&out, std::to_string(ToUnixMicros(entry.at)));
  AppendField(&out, entry.actor);
  AppendField(&out, entry.action);
  AppendField(&out, entry.entity_kind);
  AppendField(&out, entry.entity_id);
  AppendOptionalField(&out, entry.before_json);
  AppendOptionalField(&out, entry.after_json);
  AppendField(&out, entry.request_id);
  AppendField(&out, entry.prev_hash);
  return out;
}

std::string ComputeAuditHash(const AuditEntry& entry) {
  return auth::Sha256Hex(CanonicalAuditRow(entry));
}

std::optional<LocalizedText> CheckAuditRow(const AuditEntry& entry, int64_t expected_id,
                                           std::string_view expected_prev_hash) {
  if (entry.id != expected_id) {
    return LocalizedText{
        fmt::format("审计行 {} 之前缺少行 {}（行被删除或编号被改动）", entry.id, expected_id),
        fmt::format("audit row {}: row {} before it is missing (a row was deleted or renumbered)",
                    entry.id, expected_id)};
  }
  if (entry.prev_hash != expected_prev_hash) {
    return LocalizedText{
        fmt::format("审计行 {} 的 prev_hash 与上一行的哈希不符（上一行被改动、删除或插入了行）",
                    entry.id),
        fmt::format("audit row {}: prev_hash differs from the hash of the row before (that row "
                    "was changed, removed, or a row was inserted)",
                    entry.id)};
  }
  if (ComputeAuditHash(entry) != entry.hash) {
    return LocalizedText{
        fmt::format("审计行 {} 的内容与其哈希不符（该行被改动）", entry.id),
        fmt::format("audit row {}: its content does not match its hash (the row was changed)",
                    entry.id)};
  }
  return std::nullopt;
}

}  // namespace salesradar::store
