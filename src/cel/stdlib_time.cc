// Timestamp and duration arithmetic and accessors, with optional time zones.
#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <map>
#include <mutex>
#include <string>

#include "cel/containers.h"
#include "cel/env.h"
#include "cel/time_util.h"

namespace salesradar::cel {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::string_view kRangeError = "timestamp or duration out of range";

Value TimestampPlusDuration(const Value* a, CallContext&) {
  bool timestamp_first = a[0].kind() == ValueKind::kTimestamp;
  Time t = timestamp_first ? a[0].timestamp() : a[1].timestamp();
  Duration d = timestamp_first ? a[1].duration() : a[0].duration();
  std::optional<Time> sum = AddDuration(t, d);
  return sum ? Value::Timestamp(*sum) : Value::Error(kRangeError);
}

Value TimestampMinusDuration(const Value* a, CallContext&) {
  if (a[1].duration().nanos == INT64_MIN) return Value::Error(kRangeError);
  std::optional<Time> difference = AddDuration(a[0].timestamp(), Duration{-a[1].duration().nanos});
  return difference ? Value::Timestamp(*difference) : Value::Error(kRangeError);
}

Value TimestampMinusTimestamp(const Value* a, CallContext&) {
  std::optional<Duration> difference = Difference(a[0].timestamp(), a[1].timestamp());
  return difference ? Value::DurationValue(*difference) : Value::Error(kRangeError);
}

Value DurationPlusDuration(const Value* a, CallContext&) {
  int64_t out;
  if (__builtin_add_overflow(a[0].duration().nanos, a[1].duration().nanos, &out)) {
    return Value::Error(kRangeError);
  }
  return Value::DurationValue(Duration{out});
}

Value DurationMinusDuration(const Value* a, CallContext&) {
  int64_t out;
  if (__builtin_sub_overflow(a[0].duration().nanos, a[1].duration().nanos, &out)) {
    return Value::Error(kRangeError);
  }
  return Value::DurationValue(Duration{out});
}

Value DurationNegate(const Value* a, CallContext&) {
  if (a[0].duration().nanos == INT64_MIN) return Value::Error(kRangeError);
  return Value::DurationValue(Duration{-a[0].duration().nanos});
}

// Parses a fixed UTC offset such as "+08:00", "-02:30" or "02:00" into seconds.
std::optional<int64_t> ParseFixedOffset(std::string_view zone) {
  int sign = 1;
  if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) {
    sign = zone[0] == '-' ? -1 : 1;
    zone.remove_prefix(1);
  }
  if (zone.size() != 5 || zone[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (zone[i] < '0' || zone[i] > '9') return std::nullopt;
  }
  int hours = (zone[0] - '0') * 10 + (zone[1] - '0');
  int minutes = (zone[3] - '0') * 10 + (zone[4] - '0');
  if (hours > 23 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

// Loads an IANA zone through cctz once and keeps it, so that later lookups allocate nothing.
std::optional<cctz::time_zone> FindZone(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, cctz::time_zone, std::less<>> zones;  // guarded by mutex
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = zones.find(name); it != zones.end()) return it->second;
  cctz::time_zone tz;
  if (name.size() > 64 || zones.size() >= 1000 || !cctz::load_time_zone(std::string(name), &tz)) {
    return std::nullopt;
  }
  zones.emplace(std::string(name), tz);
  return tz;
}

// Converts `t` to civil time in `zone`: an IANA name such as "Asia/Shanghai", "UTC", or a
// fixed offset. The IANA database is read through cctz, which caches each zone it loads.
std::optional<cctz::civil_second> CivilTime(Time t, std::string_view zone) {
  if (std::optional<int64_t> offset = ParseFixedOffset(zone)) {
    cctz::time_point<cctz::seconds> point{cctz::seconds(t.seconds + *offset)};
    return cctz::convert(point, cctz::utc_time_zone());
  }
  std::optional<cctz::time_zone> tz = zone == "UTC" ? cctz::utc_time_zone() : FindZone(zone);
  if (!tz) return std::nullopt;
  return cctz::convert(cctz::time_point<cctz::seconds>{cctz::seconds(t.seconds)}, *tz);
}

enum class Field { kFullYear, kMonth, kDate, kDayOfMonth, kDayOfWeek, kDayOfYear, kHours, kMinutes, kSeconds, kMilliseconds };

int64_t CivilField(const cctz::civil_second& civil, Time t, Field field) {
  switch (field) {
    case Field::kFullYear: return civil.year();
    case Field::kMonth: return civil.month() - 1;
    case Field::kDate: return civil.day();
    case Field::kDayOfMonth: return civil.day() - 1;
    case Field::kDayOfWeek: {
      int weekday = static_cast<int>(cctz::get_weekday(cctz::civil_day(civil)));
      return (weekday + 1) % 7;  // cctz counts from Monday, CEL from Sunday
    }
    case Field::kDayOfYear: return cctz::get_yearday(cctz::civil_day(civil)) - 1;
    case Field::kHours: return civil.hour();
    case Field::kMinutes: return civil.minute();
    case Field::kSeconds: return civil.second();
    case Field::kMilliseconds: return t.nanos / 1'000'000;
  }
  return 0;
}

template <Field F>
Value TimestampField(const Value* a, CallContext&) {
  Time t = a[0].timestamp();
  cctz::civil_second civil = cctz::convert(cctz::time_point<cctz::seconds>{cctz::seconds(t.seconds)},
                                           cctz::utc_time_zone());
  return Value::Int(CivilField(civil, t, F));
}

template <Field F>
Value TimestampFieldInZone(const Value* a, CallContext& context) {
  Time t = a[0].timestamp();
  std::optional<cctz::civil_second> civil = CivilTime(t, a[1].string_value());
  if (!civil) return MakeError(context.arena, {"unknown time zone '", a[1].string_value(), "'"});
  return Value::Int(CivilField(*civil, t, F));
}

template <Field F>
Value DurationField(const Value* a, CallContext&) {
  int64_t nanos = a[0].duration().nanos;
  switch (F) {
    case Field::kHours: return Value::Int(nanos / (3600 * kNanosPerSecond));
    case Field::kMinutes: return Value::Int(nanos / (60 * kNanosPerSecond));
    case Field::kSeconds: return Value::Int(nanos / kNanosPerSecond);
    default: return Value::Int(nanos % kNanosPerSecond / 1'000'000);
  }
}

template <Field F>
void AddTimestampAccessor(FunctionRegistry& r, std::string_view name) {
  r.Add(name, true, {"google.protobuf.Timestamp"}, "int", TimestampField<F>);
  r.Add(name, true, {"google.protobuf.Timestamp", "string"}, "int", TimestampFieldInZone<F>);
}

}  // namespace

void RegisterTimeFunctions(FunctionRegistry& r) {
  const char* ts = "google.protobuf.Timestamp";
  const char* dur = "google.protobuf.Duration";
  r.Add(op::kAdd, false, {ts, dur}, ts, TimestampPlusDuration);
  r.Add(op::kAdd, false, {dur, ts}, ts, TimestampPlusDuration);
  r.Add(op::kAdd, false, {dur, dur}, dur, DurationPlusDuration);
  r.Add(op::kSubtract, false, {ts, dur}, ts, TimestampMinusDuration);
  r.Add(op::kSubtract, false, {ts, ts}, dur, TimestampMinusTimestamp);
  r.Add(op::kSubtract, false, {dur, dur}, dur, DurationMinusDuration);
  r.Add(op::kNegate, false, {dur}, dur, DurationNegate);

  AddTimestampAccessor<Field::kFullYear>(r, "getFullYear");
  AddTimestampAccessor<Field::kMonth>(r, "getMonth");
  AddTimestampAccessor<Field::kDate>(r, "getDate");
  AddTimestampAccessor<Field::kDayOfMonth>(r, "getDayOfMonth");
  AddTimestampAccessor<Field::kDayOfWeek>(r, "getDayOfWeek");
  AddTimestampAccessor<Field::kDayOfYear>(r, "getDayOfYear");
  AddTimestampAccessor<Field::kHours>(r, "getHours");
  AddTimestampAccessor<Field::kMinutes>(r, "getMinutes");
  AddTimestampAccessor<Field::kSeconds>(r, "getSeconds");
  AddTimestampAccessor<Field::kMilliseconds>(r, "getMilliseconds");

  r.Add("getHours", true, {dur}, "int", DurationField<Field::kHours>);
  r.Add("getMinutes", true, {dur}, "int", DurationField<Field::kMinutes>);
  r.Add("getSeconds", true, {dur}, "int", DurationField<Field::kSeconds>);
  r.Add("getMilliseconds", true, {dur}, "int", DurationField<Field::kMilliseconds>);
}

}  // namespace salesradar::cel
