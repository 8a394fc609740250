#include "report/number_format.h"

#include <cassert>
#include <cstdlib>

namespace salesradar::report {
namespace {

__extension__ using Int128 = __int128;

// Returns the decimal digits of `magnitude` with thousands separators.
std::string GroupDigits(uint64_t magnitude) {
  std::string digits = std::to_string(magnitude);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out += ',';
    }
    out += digits[i];
  }
  return out;
}

uint64_t Magnitude(int64_t value) {
  // Negating INT64_MIN overflows, so go through the unsigned type.
  return value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

}  // namespace

std::string FormatCount(int64_t value) {
  std::string sign = value < 0 ? "-" : "";
  return sign + GroupDigits(Magnitude(value));
}

std::string FormatQuotient(int64_t numerator, int64_t denominator, int decimals) {
  assert(numerator >= 0);
  assert(denominator >= 0);
  assert(decimals >= 0);
  assert(decimals <= 4);
  if (denominator == 0) {
    return "-";
  }

  Int128 scale = 1;
  for (int i = 0; i < decimals; ++i) {
    scale *= 10;
  }
  // Round half up: (2 * n * scale + d) / (2 * d).
  Int128 scaled = (2 * Int128(numerator) * scale + denominator) / (2 * Int128(denominator));

  auto whole = static_cast<uint64_t>(scaled / scale);
  std::string out = GroupDigits(whole);
  if (decimals > 0) {
    std::string fraction = std::to_string(static_cast<uint64_t>(scaled % scale));
    out += '.';
    out.append(static_cast<size_t>(decimals) - fraction.size(), '0');
    out += fraction;
  }
  return out;
}

std::string FormatPercent(int64_t numerator, int64_t denominator) {
  if (denominator == 0) {
    return "-";
  }
  return FormatQuotient(numerator * 100, denominator, 1) + "%";
}

std::string FormatBasisPoints(int64_t basis_points) {
  std::string sign = basis_points < 0 ? "-" : "";
  uint64_t magnitude = Magnitude(basis_points);
  std::string out = sign + std::to_string(magnitude / 100);

  uint64_t fraction = magnitude % 100;
  if (fraction == 0) {
    return out;
  }
  out += fraction % 10 == 0 ? "." + std::to_string(fraction / 10)
                            : (fraction < 10 ? ".0" : ".") + std::to_string(fraction);
  return out;
}

}  // namespace salesradar::report
