// SPDX-License-Identifier: MIT
// Checks anne's soft-float routines (float.S, dot.S, axpy.S) against libgcc bit for bit, on the
// Cortex-M0 of QEMU's microbit machine. This program links float.S, dot.S and axpy.S but not
// aeabi.S, so the __aeabi_* names below, and the program's own float arithmetic, are libgcc's
// routines: a correct IEEE-754 implementation, the reference.
//
// For every routine: all pairs of a list of special values (signed zeros, the ends of the
// subnormal and normal ranges, values around 1, infinities, NaNs, operands whose exact result is
// a rounding tie), then pseudo-random operands (fixed seed) from several distributions: uniform
// bit patterns, neighbouring exponents (cancellation), typical neural-network values, results at
// the ends of the exponent range (subnormal results, overflow), significands with many trailing
// zeros (exact results and ties) and special values against random ones. Two NaNs count as equal
// (IEEE-754 leaves the payload of a NaN result open), as long as ours is a quiet NaN.
// anne_fdot (dot.S, linked too) is checked against the plain C loop `sum += w[i] * x[i]`, whose
// float arithmetic here is libgcc's: vectors of every length 0..70 (and a few long ones) from
// several distributions (network-like values, ReLU zeros, exact cancellations, overflow to
// infinity, subnormal sums, NaN and infinite elements, rounding ties, the corners of the
// addition), 1.55 million terms; anne_dense (dot.S) against the core's dense_preactivation, the
// C loops of include/anne/layer.hpp, on 8,000 layers of 1 to 6 neurons with and without biases.
// anne_faxpy (axpy.S) against the C loops it replaces, scaled (y = a x) and add_scaled
// (y = z + a x, also in place) of include/anne/train/vectors.hpp, on 300,000 vectors of 0 to 8
// elements: a and x_0 from the binary routines' product distributions (signs, zeros, subnormals,
// infinities, NaN, overflow, ties) or a product that rounds up to a power of two; zeros, special
// values and repeats among the other x_i; z the negated product (exact cancellation), one close
// to it, zeros, special values and network values.
// Prints one line per routine and the first mismatches; the exit status is 1 on any mismatch.
#include <stdint.h>

#include "anne/layer.hpp"
#include "anne/train/vectors.hpp"
#include "board.hpp"
#include "write.hpp"

// The references below are the core's C loops; with ANNE_SOFTFLOAT_DOT they would be the assembly
// itself, and the check would compare anne_fdot and anne_faxpy with themselves.
#if defined(ANNE_SOFTFLOAT_DOT)
#error "check.cpp must be built without ANNE_SOFTFLOAT_DOT: the C loops are its reference"
#endif

extern "C" {
// Ours (soft-float calling convention: a float travels in a core register, like a uint32_t).
uint32_t anne_fadd(uint32_t, uint32_t);
uint32_t anne_fsub(uint32_t, uint32_t);
uint32_t anne_frsub(uint32_t, uint32_t);
uint32_t anne_fmul(uint32_t, uint32_t);
uint32_t anne_fdiv(uint32_t, uint32_t);
int32_t anne_f2iz(uint32_t);
uint32_t anne_f2uiz(uint32_t);
uint32_t anne_i2f(int32_t);
uint32_t anne_ui2f(uint32_t);
int anne_fcmplt(uint32_t, uint32_t);
int anne_fcmple(uint32_t, uint32_t);
int anne_fcmpeq(uint32_t, uint32_t);
int anne_fcmpge(uint32_t, uint32_t);
int anne_fcmpgt(uint32_t, uint32_t);
int anne_fcmpun(uint32_t, uint32_t);
void anne_cfcmple();
void anne_cfcmpeq();
void anne_cfrcmple();
float anne_fdot(const float* w, const float* x, uint32_t n);  // dot.S
void anne_dense(const anne::Layer& layer, const float* x, float* z);  // dot.S
void anne_faxpy(const float* z, float a, const float* x, float* y, uint32_t n);  // axpy.S
// libgcc's.
uint32_t __aeabi_fadd(uint32_t, uint32_t);
uint32_t __aeabi_fsub(uint32_t, uint32_t);
uint32_t __aeabi_frsub(uint32_t, uint32_t);
uint32_t __aeabi_fmul(uint32_t, uint32_t);
uint32_t __aeabi_fdiv(uint32_t, uint32_t);
int32_t __aeabi_f2iz(uint32_t);
uint32_t __aeabi_f2uiz(uint32_t);
uint32_t __aeabi_i2f(int32_t);
uint32_t __aeabi_ui2f(uint32_t);
int __aeabi_fcmplt(uint32_t, uint32_t);
int __aeabi_fcmple(uint32_t, uint32_t);
int __aeabi_fcmpeq(uint32_t, uint32_t);
int __aeabi_fcmpge(uint32_t, uint32_t);
int __aeabi_fcmpgt(uint32_t, uint32_t);
int __aeabi_fcmpun(uint32_t, uint32_t);
}

namespace {

constexpr uint32_t kRandomPairs = 2000000;  // per binary routine
constexpr uint32_t kRandomUnary = 1000000;  // per conversion
constexpr uint32_t kShownMismatches = 5;    // per routine

// xorshift128 (Marsaglia), fixed seed.
uint32_t s0 = 0x12345678u, s1 = 0x9abcdef0u, s2 = 0x0fedcba9u, s3 = 0x87654321u;
uint32_t rnd() {
  const uint32_t t = s0 ^ (s0 << 11);
  s0 = s1;
  s1 = s2;
  s2 = s3;
  s3 = s3 ^ (s3 >> 19) ^ t ^ (t >> 8);
  return s3;
}

bool is_nan(uint32_t x) { return (x << 1) > 0xff000000u; }
// Our result `x` matches libgcc's `y`: the same bits, or both NaN with ours a quiet one.
bool same(uint32_t x, uint32_t y) { return x == y || (is_nan(x) && is_nan(y) && (x & 0x00400000u) != 0); }

const uint32_t kSpecials[] = {
    0x00000000, 0x80000000,              // zeros
    0x00000001, 0x80000001,              // smallest subnormal
    0x00000002, 0x00000003, 0x00400000,  // subnormals
    0x007fffff, 0x807fffff,              // largest subnormal
    0x00800000, 0x80800000,              // smallest normal
    0x00800001, 0x00ffffff, 0x01000000,  // just above
    0x3f800000, 0xbf800000,              // 1
    0x3f800001, 0xbf800001,              // 1 + ulp
    0x3f7fffff, 0xbf7fffff,              // 1 - ulp/2
    0x3f800002, 0x3f7ffffe, 0x3fffffff,  // around 1 and 2
    0x40000000, 0xc0000000, 0x3f000000,  // 2, 0.5
    0x3fc00000, 0x40400000, 0x3f400000,  // 1.5, 3, 0.75
    0x3faaaaab, 0x40490fdb, 0x3eaaaaab,  // 4/3, pi, 1/3
    0x3f800800, 0x3f801000, 0x3f800400,  // 1 + 2^-12 etc.: squares and products that tie
    0x33800000, 0xb3800000, 0x33000000,  // 2^-24, 2^-25: sums with 1 that tie
    0x34000000, 0x33800001,              // 2^-23, just above 2^-24
    0x4b000000, 0x4b800000, 0x4b7fffff,  // 2^23, 2^24
    0x4f000000, 0xcf000000, 0x4effffff,  // +-2^31, just below
    0x1f800000, 0x5f800000, 0x20000000,  // 2^-64, 2^64, 2^-63
    0x0d800000, 0x72000000,              // products near the ends
    0x7f000000, 0x7f7fffff, 0xff7fffff,  // 2^127, largest finite
    0x7f800000, 0xff800000,              // infinities
    0x7fc00000, 0xffc00000,              // quiet NaNs
    0x7f800001, 0x7fbfffff,              // signalling NaNs
};
constexpr uint32_t kSpecialCount = sizeof(kSpecials) / sizeof(kSpecials[0]);

uint32_t special() { return kSpecials[rnd() % kSpecialCount]; }

enum Op { kAdd, kMul, kDiv, kOther };

// A float with sign bit s, biased exponent e (taken mod 256) and fraction f.
uint32_t make(uint32_t s, uint32_t e, uint32_t f) { return (s << 31) | ((e & 0xffu) << 23) | (f & 0x7fffffu); }

// One random operand pair; `kind` selects the distribution.
void random_pair(uint32_t kind, Op op, uint32_t& a, uint32_t& b) {
  switch (kind % 8) {
    case 0:  // uniform bit patterns
      a = rnd();
      b = rnd();
      break;
    case 1: {  // neighbouring exponents; half of them also share leading fraction bits
      a = rnd();
      const uint32_t e = (a >> 23) & 0xffu;
      const uint32_t r = rnd();
      b = make(r >> 31, e + (r & 7u) - 3u, rnd());
      if (r & 0x100u) b = (b & 0xff800000u) | ((a ^ (rnd() >> (9 + (r >> 27)))) & 0x7fffffu);
      break;
    }
    case 2: {  // typical network values: |x| in [2^-12, 2^4), inputs around 1
      const uint32_t r = rnd();
      a = make(r >> 31, 115 + (r & 15u), rnd());
      b = make((r >> 30) & 1u, 115 + ((r >> 4) & 15u), rnd());
      break;
    }
    case 3: {  // results at the ends of the exponent range: products and quotients whose exponent
               // lands near 0 (subnormal results, underflow to 0) or near 255 (overflow); sums and
               // comparisons of tiny (subnormal) or huge operands
      const uint32_t r = rnd();
      const uint32_t ea = 1 + r % 254;
      const uint32_t target = (r & 0x80000000u) ? 0x100u - 28u + ((r >> 8) & 31u)  // -28 .. 3
                                                : 240u + ((r >> 8) & 31u);          // 240 .. 271
      const uint32_t small = (r >> 16) & 1u;
      uint32_t eb;
      if (op == kMul)
        eb = target + 127u - ea;  // e_a + e_b - 127 = target
      else if (op == kDiv)
        eb = ea + 127u - target;  // e_a - e_b + 127 = target
      else
        eb = small ? ((r >> 17) & 3u) : 251u + ((r >> 17) & 3u);
      const uint32_t ea_used = (op == kMul || op == kDiv) ? ea : small ? ((r >> 19) & 3u) : 251u + ((r >> 19) & 3u);
      a = make(r >> 30, ea_used, rnd());
      b = make((r >> 29) & 1u, eb, rnd());
      if ((eb & 0xffu) == 0xffu) b ^= 0x00800000u;  // exponent 254 rather than inf or NaN
      break;
    }
    case 4: {  // significands with many trailing zeros: exact results and ties
      const uint32_t r = rnd();
      const uint32_t za = 8 + (r & 15u), zb = 8 + ((r >> 4) & 15u);
      const uint32_t ea = 100 + ((r >> 8) & 63u);
      const uint32_t eb = ((r >> 14) & 1u) ? ea + ((r >> 15) & 31u) - 15u : 100 + ((r >> 20) & 63u);
      a = make(r >> 31, ea, (rnd() >> za) << za);
      b = make((r >> 30) & 1u, eb, (rnd() >> zb) << zb);
      break;
    }
    case 5:  // subnormals against anything small
      a = rnd() & 0x807fffffu;
      b = (rnd() & 1u) ? (rnd() & 0x807fffffu) : make(rnd() >> 31, 1 + (rnd() & 31u), rnd());
      break;
    case 6: {  // sums near a tie with bits shifted out of the smaller operand: e_a - e_b = d in
               // [9, 31], the 8 bits of m_b that end next to the rounding position 0x00 or 0x80,
               // the bits below them random; leading fraction bits often all ones (a: the sum
               // then carries; b: the rounded part of B reaches 2^15)
      const uint32_t r = rnd();
      const uint32_t d = 9 + (r & 31u) % 23u;
      const uint32_t ea = 60 + ((r >> 5) & 127u);
      uint32_t fa = rnd();
      if (r & 0x1000u) fa |= 0x7fff00u;
      uint32_t mb = rnd() | 0x800000u;
      if (r & 0x8000u) mb |= 0xfffe00u;
      mb = (mb & ~(0xffu << (d - 8))) | (((r >> 16) & 1u) << (d - 1));
      a = make(r >> 31, ea, fa);
      b = make(((r >> 30) & 1u) ^ ((r >> 13) & 1u), ea - d, mb);
      if (r & 0x4000u) {
        const uint32_t t = a;
        a = b;
        b = t;
      }
      break;
    }
    default:  // a special value against a random one
      a = special();
      b = rnd();
      if (rnd() & 1u) {
        const uint32_t t = a;
        a = b;
        b = t;
      }
      break;
  }
}

bool any_mismatch = false;

// "name(a, b): got X, libgcc Y", or "name(a): ..." for a conversion; `note` follows the result.
void print_case(const char* name, uint32_t a, uint32_t b, bool unary, uint32_t got, uint32_t want, const char* note) {
  board_write("  ");
  board_write(name);
  board_write("(");
  write_hex(a);
  if (!unary) {
    board_write(", ");
    write_hex(b);
  }
  board_write("): got ");
  write_hex(got);
  board_write(", libgcc ");
  write_hex(want);
  if (note) board_write(note);
  board_write("\n");
}

struct Tally {
  const char* name;
  uint32_t cases = 0;
  uint32_t mismatches = 0;
  explicit Tally(const char* n) : name(n) {}
  void check(bool ok, uint32_t a, uint32_t b, uint32_t got, uint32_t want, bool unary = false,
             const char* note = nullptr) {
    ++cases;
    if (ok) return;
    if (mismatches++ < kShownMismatches) print_case(name, a, b, unary, got, want, note);
  }
  void report() {
    board_write(name);
    board_write(": ");
    write_decimal(cases);
    board_write(" cases, ");
    write_decimal(mismatches);
    board_write(" mismatches\n");
    if (mismatches != 0) any_mismatch = true;
  }
};

using Binary = uint32_t (*)(uint32_t, uint32_t);

void check_binary(const char* name, Binary ours, Binary reference, Op op) {
  Tally tally(name);
  for (uint32_t i = 0; i < kSpecialCount; ++i)
    for (uint32_t j = 0; j < kSpecialCount; ++j) {
      const uint32_t a = kSpecials[i], b = kSpecials[j];
      const uint32_t got = ours(a, b), want = reference(a, b);
      tally.check(same(got, want), a, b, got, want);
    }
  for (uint32_t i = 0; i < kRandomPairs; ++i) {
    uint32_t a, b;
    random_pair(i, op, a, b);
    const uint32_t got = ours(a, b), want = reference(a, b);
    tally.check(same(got, want), a, b, got, want);
  }
  tally.report();
}

// The six comparisons on the same operand pairs.
using Compare = int (*)(uint32_t, uint32_t);
struct ComparePair {
  const char* name;
  Compare ours, reference;
};

void check_comparisons() {
  const ComparePair pairs[] = {
      {"fcmplt", anne_fcmplt, __aeabi_fcmplt}, {"fcmple", anne_fcmple, __aeabi_fcmple},
      {"fcmpeq", anne_fcmpeq, __aeabi_fcmpeq}, {"fcmpge", anne_fcmpge, __aeabi_fcmpge},
      {"fcmpgt", anne_fcmpgt, __aeabi_fcmpgt}, {"fcmpun", anne_fcmpun, __aeabi_fcmpun}};
  constexpr uint32_t kCount = sizeof(pairs) / sizeof(pairs[0]);
  Tally tallies[kCount] = {Tally("fcmplt"), Tally("fcmple"), Tally("fcmpeq"),
                           Tally("fcmpge"), Tally("fcmpgt"), Tally("fcmpun")};
  auto one = [&](uint32_t a, uint32_t b) {
    for (uint32_t k = 0; k < kCount; ++k) {
      const int got = pairs[k].ours(a, b), want = pairs[k].reference(a, b);
      tallies[k].check(got == want, a, b, static_cast<uint32_t>(got), static_cast<uint32_t>(want));
    }
  };
  for (uint32_t i = 0; i < kSpecialCount; ++i)
    for (uint32_t j = 0; j < kSpecialCount; ++j) one(kSpecials[i], kSpecials[j]);
  for (uint32_t i = 0; i < kRandomPairs; ++i) {
    uint32_t a, b;
    random_pair(i, kOther, a, b);
    if ((i & 7u) == 7u) b = (i & 8u) ? a : (a ^ 0x80000000u);  // equal, or the negation
    one(a, b);
  }
  for (uint32_t k = 0; k < kCount; ++k) tallies[k].report();
}

// The flag-returning comparisons: calls `function` with a, b and known values in r2, r3 and
// returns APSR (N Z C V in bits 31..28); `kept` tells whether r0-r3 came back unchanged.
uint32_t call_flags(void (*function)(), uint32_t a, uint32_t b, bool& kept) {
  register uint32_t r0 __asm("r0") = a;
  register uint32_t r1 __asm("r1") = b;
  register uint32_t r2 __asm("r2") = 0x5a5a1234u;
  register uint32_t r3 __asm("r3") = 0xa5a54321u;
  uint32_t psr;
  __asm volatile("blx %[f]\n\tmrs %[psr], apsr"
                 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), [psr] "=r"(psr)
                 : [f] "r"(function)
                 : "r12", "lr", "cc", "memory");
  kept = r0 == a && r1 == b && r2 == 0x5a5a1234u && r3 == 0xa5a54321u;
  return psr;
}

void check_flag_comparisons() {
  struct Flagged {
    const char* name;
    void (*function)();
    bool reversed;
  };
  const Flagged all[] = {{"cfcmple", anne_cfcmple, false}, {"cfcmpeq", anne_cfcmpeq, false},
                         {"cfrcmple", anne_cfrcmple, true}};
  for (const Flagged& f : all) {
    Tally tally(f.name);
    auto one = [&](uint32_t a, uint32_t b) {
      bool kept = false;
      const uint32_t psr = call_flags(f.function, a, b, kept);
      const uint32_t x = f.reversed ? b : a, y = f.reversed ? a : b;
      // Z set only if x = y; C clear only if x < y (so the NaN cases have C set, Z clear).
      const uint32_t want = (__aeabi_fcmpeq(x, y) ? 0x40000000u : 0u) | (__aeabi_fcmplt(x, y) ? 0u : 0x20000000u);
      const uint32_t got = psr & 0x60000000u;
      tally.check(kept && got == want, a, b, got, want, false, kept ? " (flags Z, C)" : " (r0-r3 not kept)");
    };
    for (uint32_t i = 0; i < kSpecialCount; ++i)
      for (uint32_t j = 0; j < kSpecialCount; ++j) one(kSpecials[i], kSpecials[j]);
    for (uint32_t i = 0; i < kRandomPairs; ++i) {
      uint32_t a, b;
      random_pair(i, kOther, a, b);
      if ((i & 7u) == 7u) b = a;
      one(a, b);
    }
    tally.report();
  }
}

void check_float_to_int() {
  Tally signed_tally("f2iz"), unsigned_tally("f2uiz");
  auto one = [&](uint32_t a) {
    uint32_t got = static_cast<uint32_t>(anne_f2iz(a)), want = static_cast<uint32_t>(__aeabi_f2iz(a));
    signed_tally.check(got == want, a, 0, got, want, true);
    got = anne_f2uiz(a);
    want = __aeabi_f2uiz(a);
    unsigned_tally.check(got == want, a, 0, got, want, true);
  };
  for (uint32_t i = 0; i < kSpecialCount; ++i) one(kSpecials[i]);
  for (uint32_t i = 0; i < kRandomUnary; ++i) {
    const uint32_t r = rnd();
    if (i & 1u)
      one(r);
    else
      one(make(r >> 31, 120 + ((r >> 8) & 63u), rnd()));  // |x| from 2^-7 to 2^55, around 2^31
  }
  signed_tally.report();
  unsigned_tally.report();
}

void check_int_to_float() {
  Tally signed_tally("i2f"), unsigned_tally("ui2f");
  auto one = [&](uint32_t x) {
    uint32_t got = anne_i2f(static_cast<int32_t>(x)), want = __aeabi_i2f(static_cast<int32_t>(x));
    signed_tally.check(got == want, x, 0, got, want, true);
    got = anne_ui2f(x);
    want = __aeabi_ui2f(x);
    unsigned_tally.check(got == want, x, 0, got, want, true);
  };
  const uint32_t specials[] = {0,          1,          2,          3,          0xffffffffu, 0x80000000u,
                               0x7fffffffu, 0x80000001u, 0x00ffffffu, 0x01000000u, 0x01000001u, 0x01000002u,
                               0x01000003u, 0x02000002u, 0x02000006u, 0xfeffffffu, 0xff000001u, 0x7fffff80u,
                               0x7fffffc0u, 0x7fffffbfu, 0xffffff80u, 0xffffff7fu, 0x00800001u};
  for (uint32_t x : specials) one(x);
  for (uint32_t i = 0; i < kRandomUnary; ++i) {
    const uint32_t r = rnd();
    if (i & 1u)
      one(r);
    else
      one(r >> (rnd() & 31u));  // every magnitude
  }
  signed_tally.report();
  unsigned_tally.report();
}

// ---------------------------------------------------------------------------------------------
// anne_fdot against the C loop (libgcc's fmul and fadd here).

constexpr uint32_t kDotMaxLength = 70;     // every length 0..70 ...
constexpr uint32_t kDotRounds = 56;        // ... this many times for each distribution
constexpr uint32_t kDotLongLength = 1000;  // and some long vectors
constexpr uint32_t kDotLongRounds = 16;
constexpr uint32_t kDotKinds = 10;

using anne::math::bits_float;
using anne::math::float_bits;

// The loop anne_fdot replaces (include/anne/layer.hpp's weighted_sum without ANNE_SOFTFLOAT_DOT).
__attribute__((noinline)) float reference_dot(const float* w, const float* x, uint32_t n) {
  float sum = 0.0f;
  for (uint32_t i = 0; i < n; ++i) sum += w[i] * x[i];
  return sum;
}

// A random float with biased exponent in [lo, hi], random sign and fraction.
uint32_t random_float(uint32_t lo, uint32_t hi) { return make(rnd() >> 31, lo + rnd() % (hi - lo + 1), rnd()); }

// A float k * 2^j with a small odd k (sums of such values are often exact, and cancel exactly).
uint32_t short_float(uint32_t lo, uint32_t hi) {
  const uint32_t r = rnd();
  const uint32_t k = 1 + 2 * (r & 7u);  // 1, 3, ..., 15
  uint32_t m = k << 20;                 // significand with its leading 1 at bit 23
  while (m < 0x800000u) m <<= 1;
  return make(r >> 31, lo + (r >> 8) % (hi - lo + 1), m);
}

// The inverse of an odd v modulo 2^32 (Newton's iteration doubles the correct low bits).
uint32_t odd_inverse(uint32_t v) {
  uint32_t inverse = v;  // correct to 3 bits
  for (int i = 0; i < 4; ++i) inverse *= 2u - v * inverse;
  return inverse;
}

// A term (w, x) made for the running sum s, so that the rare cases of both roundings come up:
// - half of the terms: x = +-1 or +-2 and w such that the product b = w * x is exact and lies d
//   binades below s (d from -2 to 31), with the bits of b next to the sum's rounding position
//   (for a sum that keeps s's exponent, goes one up, or one down) 0 or exactly half, the bits
//   below them zero or random, and often all leading fraction bits set (carries);
// - most of the other half: a product whose bits below its own rounding position are a chosen
//   pattern. With m_w = 2^23 + u and m_x = 2^23 + v (v odd), P = m_w m_x = uv (mod 2^23), so
//   u = t / v (mod 2^23) makes P's low 23 bits t: 0, 2^22 (exact, or half way), 2^j, 2^22 + 2^j
//   (just below or above half, one sticky bit j); the exponents put the product d binades below
//   s (d from -3 to 30);
// - the rest: a product that rounds up to a power of two, P = (2^24 - 2j)(2^23 + j) =
//   2^47 - 2j^2 just below 2^47 (1 <= j <= 1448), in s's binade or next to it.
// Now and then instead: a term that makes the sum +0 (-s), or, for a sum near the top of its
// binade, one that makes it round up to the next power of two (next - s - ulp/4, exact), or a
// sum near the top or the bottom of a binade after +0.
void designed_term(uint32_t s, uint32_t& w, uint32_t& x) {
  const uint32_t es = (s >> 23) & 0xffu;
  const uint32_t r = rnd();
  if (s == 0 && (r & 1u)) {  // a sum at the top or the bottom of a binade (carries, cancellation)
    const uint32_t k = (r >> 1) & 7u;
    w = make(r >> 31, 100 + (r >> 4) % 50, (r & 0x100u) ? 0x7fffffu - k : k);
    x = 0x3f800000u;
    return;
  }
  if (es == 0 || es == 0xffu) {  // zero, subnormal, infinite or NaN sum: any network term
    w = random_float(122, 128);
    x = random_float(120, 130);
    return;
  }
  if ((r & 15u) == 0) {  // back to +0 by an exact cancellation
    w = s ^ 0x80000000u;
    x = 0x3f800000u;
    return;
  }
  if ((r & 15u) == 1 && (s & 0x7fffffu) >= 0x700000u && es >= 26 && es <= 253) {
    // s = m 2^(e - 150) with m >= 2^24 - 2^20: s + (next - s - ulp/4) rounds up to next = 2^(e - 126)
    const float next = bits_float((s & 0x80000000u) | ((es + 1) << 23));
    const float quarter = bits_float((s & 0x80000000u) | ((es - 25) << 23));
    w = float_bits((next - bits_float(s)) - quarter);
    x = 0x3f800000u;
    return;
  }
  int32_t e;  // the exponent of w
  if (r & 1u) {
    // m_b's bit k weighs 2^(e_b - 150 + k) and e_b = e_s - d + 2: the sum's round bit is bit
    // d - 3 of m_b (d - 2 after a carry, d - 4 after one bit of cancellation).
    const int32_t d = static_cast<int32_t>((r >> 1) % 34);
    const int32_t half = d - 4 + static_cast<int32_t>((r >> 8) % 3);
    uint32_t m = rnd() | 0x800000u;
    if (r & 0x80u) m |= 0x7fff00u;
    for (int32_t position = half - 7; position <= half; ++position)  // 0x00 or 0x80
      if (position >= 0 && position < 23) m &= ~(1u << position);
    if ((r & 0x100u) && half >= 0 && half < 23) m |= 1u << half;
    if ((r & 0x200u) && half >= 8) m &= ~((1u << (half - 7 < 23 ? half - 7 : 23)) - 1u);  // nothing below
    e = static_cast<int32_t>(es) - d + 2;
    const uint32_t j = (r >> 10) % 4;  // x = 1, 2, -1 or -2
    x = (j & 1u ? 0x40000000u : 0x3f800000u) | ((j >> 1) << 31);
    if (j & 1u) --e;
    if (e < 1 || e > 254) e = static_cast<int32_t>(es);
    w = make(r >> 31, static_cast<uint32_t>(e), m);
    return;
  }
  if ((r & 6u) == 0) {
    const uint32_t j = 1 + (r >> 3) % 1448;
    const uint32_t ex = 120 + (r >> 14) % 10;
    e = static_cast<int32_t>(es) + 127 - static_cast<int32_t>(ex) + static_cast<int32_t>((r >> 18) % 3) - 1;
    if (e < 1 || e > 254) e = 127;
    w = make(r >> 31, static_cast<uint32_t>(e), 0x800000u - 2 * j);  // m_w = 2^24 - 2j
    x = make((r >> 30) & 1u, ex, j);
    return;
  }
  const uint32_t v = rnd() | 1u;
  const uint32_t bit = (r >> 1) % 22;
  const uint32_t patterns[] = {0, 1u << 22, 1u << bit, (1u << 22) + (1u << bit)};
  const uint32_t t = patterns[(r >> 6) & 3u];
  const uint32_t u = (t * odd_inverse(v)) & 0x7fffffu;
  const uint32_t ex = 120 + (r >> 8) % 10;
  const int32_t d = static_cast<int32_t>((r >> 12) % 34) - 3;
  e = static_cast<int32_t>(es) + 127 - static_cast<int32_t>(ex) - d;
  if (e < 1 || e > 254) e = 127;
  w = make(r >> 31, static_cast<uint32_t>(e), u);
  x = make((r >> 30) & 1u, ex, v);
}

// Distribution 9 walks through the corners of the addition, three terms for each. The first makes
// the sum (from +0): significand 2^23, 2^23 + 1, 2^24 - 2, 2^24 - 1 or random, or 2^24 from a
// product that rounds up (an unnormalized sum in anne_fdot), of either sign, now and then at the
// bottom of the exponent range. The second is the product under test, d = -3..30 binades below
// the sum, of either sign: exact (x a power of two) with significand 2^23, 2^23 + 1, 2^24 - 1 or
// random; rounding up to a power of two; half way or exact, just above half, just above exact; or
// random. The third, -sum, brings the sum back to +0.
constexpr uint32_t kCornerStates = 6, kCornerProducts = 9, kCornerOffsets = 34;

// The exponent of x in a product at about exponent e (in [1, 254]): 127 (x near 1), or for the
// smallest products 64, so that w's exponent e + 127 - e_x, too, stays at or above 64 (the
// operands at or above 2^-63, where anne_fdot takes its fast path).
uint32_t x_exponent(uint32_t e) { return e < 70 ? 64 : 127; }

// A term whose product is exactly +-M 2^(e - 150) (M 24 bits with its leading 1, e in [2, 254]):
// x = 1 or 2 (2^-63 or 2^-62 for the smallest).
void exact_term(uint32_t sign, uint32_t e, uint32_t m, uint32_t& w, uint32_t& x) {
  const uint32_t ex = x_exponent(e) + (rnd() & 1u);
  w = make(sign, e + 127 - ex, m);
  x = make(0, ex, 0);
}

// A term whose product P = m_w m_x is (2^24 - 2j)(2^23 + j) = 2^47 - 2j^2: it rounds up to 2^24
// at exponent e_w + e_x - 127 = e.
void round_up_term(uint32_t sign, uint32_t e, uint32_t& w, uint32_t& x) {
  const uint32_t j = 1 + rnd() % 1448;
  const uint32_t ex = x_exponent(e);
  w = make(sign, e + 127 - ex, 0x800000u - 2 * j);
  x = make(0, ex, j);
}

// A term whose product has the bits t below bit 23 of P (see designed_term), at about exponent e.
void pattern_term(uint32_t sign, uint32_t e, uint32_t t, uint32_t& w, uint32_t& x) {
  const uint32_t v = rnd() | 1u;
  const uint32_t ex = x_exponent(e);
  w = make(sign, e + 127 - ex, (t * odd_inverse(v)) & 0x7fffffu);
  x = make(0, ex, v);
}

// The first term of corner k (the sum, from +0) and its second (the product under test), for
// the sum's exponent es (known once the first is added).
void corner_state(uint32_t k, uint32_t& w, uint32_t& x) {
  const uint32_t sign = (k / kCornerStates) & 1u;
  const uint32_t e = (rnd() & 7u) ? 100 + rnd() % 50 : 2 + rnd() % 3;  // sometimes the smallest sums
  const uint32_t m[] = {0x800000u, 0x800001u, 0xfffffeu, 0xffffffu, rnd() | 0x800000u};
  if (k % kCornerStates < 5)
    exact_term(sign, e, m[k % kCornerStates], w, x);
  else
    round_up_term(sign, e, w, x);  // the sum 2^24 2^(e - 150): A unnormalized
}
void corner_product(uint32_t k, uint32_t es, uint32_t& w, uint32_t& x) {
  k /= 2 * kCornerStates;
  const uint32_t sign = k & 1u;
  k >>= 1;
  const int32_t below = static_cast<int32_t>(es) + 3 - static_cast<int32_t>(k % kCornerOffsets);
  const uint32_t e = below < 2 ? 2 : static_cast<uint32_t>(below);  // d = -3 .. 30 binades below
  const uint32_t kind = k / kCornerOffsets % kCornerProducts, bit = rnd() % 22;
  const uint32_t exact[] = {0x800000u, 0x800001u, 0xffffffu, rnd() | 0x800000u};
  // P's bits below its rounding position: half way (or exact), just above half, just above 0
  const uint32_t patterns[] = {1u << 22, (1u << 22) + (1u << bit), 1u << bit};
  if (kind < 4) {
    exact_term(sign, e, exact[kind], w, x);
  } else if (kind == 4) {
    round_up_term(sign, e, w, x);
  } else if (kind < 8) {
    pattern_term(sign, e, patterns[kind - 5], w, x);
  } else {
    w = make(sign, e + 127 - x_exponent(e), rnd());
    x = make(0, x_exponent(e), rnd());
  }
}

// Fills w[0..n) and x[0..n) with one of the distributions:
//   0 network: |w| in [2^-5, 2^2), |x| in [2^-7, 2^4), random signs
//   1 ReLU: the same with half of the inputs zero
//   2 the binary routines' operand pairs (random_pair), one distribution per vector
//   3 cancellation: short significands, and terms that repeat an earlier term negated
//   4 overflow: products near 2^127, mostly positive, so the sum reaches infinity
//   5 subnormal: products and sums around 2^-126 and below, random signs
//   6 specials: network values with zeros, subnormals, infinities and NaNs mixed in; the first
//     term, while the sum is still +0, goes through all pairs of special values
//   7 ties: significands with many trailing zeros over a spread of exponents, so that sums are
//     exact or half way, with and without bits of the product shifted out
//   8 designed: each term made for the running sum (designed_term), or the previous one again
//   9 corners: triples of terms, the sum at a corner, a product at a corner, back to +0
uint32_t corner = 0;        // the next corner of distribution 9
uint32_t special_pair = 0;  // the next pair of special values of distribution 6

void dot_vector(uint32_t kind, uint32_t n, uint32_t* w, uint32_t* x) {
  const uint32_t pair_kind = rnd();
  float sum = 0.0f;
  for (uint32_t i = 0; i < n; ++i) {
    if (kind == 9) {
      if (i % 3 == 0) {
        corner_state(corner, w[i], x[i]);
      } else if (i % 3 == 1) {
        corner_product(corner++, (float_bits(sum) >> 23) & 0xffu, w[i], x[i]);
      } else {  // back to +0
        w[i] = float_bits(sum) ^ 0x80000000u;
        x[i] = 0x3f800000u;
      }
      sum += bits_float(w[i]) * bits_float(x[i]);
      continue;
    }
    if (kind == 8) {
      if (i > 0 && (rnd() & 7u) == 0) {  // the previous term again, or negated
        w[i] = w[i - 1] ^ ((rnd() & 1u) << 31);
        x[i] = x[i - 1];
      } else {
        designed_term(float_bits(sum), w[i], x[i]);
      }
      sum += bits_float(w[i]) * bits_float(x[i]);
      continue;
    }
    switch (kind) {
      case 0:
      case 1:
        w[i] = random_float(122, 128);
        x[i] = random_float(120, 130);
        if (kind == 1 && (rnd() & 1u)) x[i] = (rnd() & 15u) ? 0u : 0x80000000u;
        break;
      case 2:
        random_pair(pair_kind, kMul, w[i], x[i]);
        break;
      case 3:
        if (i > 0 && rnd() % 3 == 0) {
          const uint32_t j = rnd() % i;
          w[i] = w[j] ^ ((rnd() & 1u) << 31);
          x[i] = x[j] ^ ((w[i] ^ w[j]) & 0x80000000u) ^ 0x80000000u;
        } else {
          w[i] = short_float(124, 128);
          x[i] = short_float(124, 130);
        }
        break;
      case 4:
        w[i] = random_float(183, 192);
        x[i] = random_float(183, 192);
        if (rnd() % 5 != 0) x[i] = (x[i] & 0x7fffffffu) | (w[i] & 0x80000000u);
        break;
      case 5:
        w[i] = random_float(50, 75);
        x[i] = random_float(55, 78);
        if ((rnd() & 7u) == 0) w[i] = rnd() & 0x807fffffu;  // a subnormal
        break;
      case 6:
        w[i] = random_float(122, 128);
        x[i] = random_float(120, 130);
        if (rnd() % 6 == 0) w[i] = special();
        if (rnd() % 6 == 0) x[i] = special();
        if (i == 0) {  // every pair of special values in turn, while the sum is +0
          w[i] = kSpecials[special_pair % kSpecialCount];
          x[i] = kSpecials[special_pair / kSpecialCount % kSpecialCount];
          ++special_pair;
        }
        break;
      default: {
        const uint32_t r = rnd();
        const uint32_t zw = 8 + (r & 15u), zx = 8 + ((r >> 4) & 15u);
        w[i] = make(r >> 31, 110 + ((r >> 8) & 31u), (rnd() >> zw) << zw);
        x[i] = make((r >> 30) & 1u, 110 + ((r >> 16) & 31u), (rnd() >> zx) << zx);
        if (r & 0x2000000u) x[i] = random_float(100, 140);  // full significands: bits shifted out
        break;
      }
    }
  }
}

void check_dot() {
  Tally tally("fdot");
  static uint32_t w[kDotLongLength], x[kDotLongLength];
  auto one = [&](uint32_t kind, uint32_t n) {
    dot_vector(kind, n, w, x);
    const float* wf = reinterpret_cast<const float*>(w);
    const float* xf = reinterpret_cast<const float*>(x);
    const uint32_t got = float_bits(anne_fdot(wf, xf, n)), want = float_bits(reference_dot(wf, xf, n));
    ++tally.cases;
    if (same(got, want)) return;
    if (tally.mismatches++ < kShownMismatches) {
      board_write("  fdot(distribution ");
      write_decimal(kind);
      board_write(", n = ");
      write_decimal(n);
      board_write("): got ");
      write_hex(got);
      board_write(", the C loop ");
      write_hex(want);
      board_write("\n    w:");
      for (uint32_t i = 0; i < n && i < 8; ++i) {
        board_write(" ");
        write_hex(w[i]);
      }
      board_write("\n    x:");
      for (uint32_t i = 0; i < n && i < 8; ++i) {
        board_write(" ");
        write_hex(x[i]);
      }
      board_write(n > 8 ? " ...\n" : "\n");
    }
  };
  for (uint32_t round = 0; round < kDotRounds; ++round)
    for (uint32_t n = 0; n <= kDotMaxLength; ++n)
      for (uint32_t kind = 0; kind < kDotKinds; ++kind) one(kind, n);
  for (uint32_t round = 0; round < kDotLongRounds; ++round)
    for (uint32_t kind = 0; kind < kDotKinds; ++kind) one(kind, kDotLongLength);
  tally.report();
}

// ---------------------------------------------------------------------------------------------
// anne_dense against the core's dense_preactivation: this program is built without
// ANNE_SOFTFLOAT_DOT, so that is include/anne/layer.hpp's C loop, on libgcc's arithmetic. Layers of
// 1 to 6 neurons and 1 to 40 inputs, their weight rows from dot_vector's distributions, without a
// bias or with biases that are network values, special values or the negated sum (an exact +0).

constexpr uint32_t kDenseLayers = 8000;
constexpr uint32_t kDenseMaxUnits = 6;
constexpr uint32_t kDenseMaxInputs = 40;

uint32_t dense_bias(uint32_t neuron_sum) {
  switch (rnd() % 4) {
    case 0:
      return special();
    case 1:
      return neuron_sum ^ 0x80000000u;  // the sum plus its negation: +0 (or NaN, infinity)
    case 2:
      return random_float(100, 140);
    default:
      return random_float(122, 128);
  }
}

void check_dense() {
  Tally tally("dense");
  static uint32_t w[kDenseMaxUnits * kDenseMaxInputs], x[kDenseMaxInputs], unused_x[kDenseMaxInputs];
  static uint32_t bias[kDenseMaxUnits];
  float got[kDenseMaxUnits], want[kDenseMaxUnits];
  for (uint32_t round = 0; round < kDenseLayers; ++round) {
    const uint32_t kind = round % kDotKinds;
    const uint32_t units = 1 + rnd() % kDenseMaxUnits, inputs = 1 + rnd() % kDenseMaxInputs;  // as validate_layer requires
    dot_vector(kind, inputs, w, x);  // the first row and the inputs
    for (uint32_t j = 1; j < units; ++j) dot_vector(kind, inputs, w + j * inputs, unused_x);
    const float* wf = reinterpret_cast<const float*>(w);
    const float* xf = reinterpret_cast<const float*>(x);
    for (uint32_t j = 0; j < units; ++j) bias[j] = dense_bias(float_bits(reference_dot(wf + j * inputs, xf, inputs)));
    anne::Layer layer;
    layer.inputs = static_cast<uint16_t>(inputs);
    layer.units = static_cast<uint16_t>(units);
    layer.weights = wf;
    layer.bias = (rnd() & 3u) != 0 ? reinterpret_cast<const float*>(bias) : nullptr;
    anne::dense_preactivation(layer, xf, want);
    anne_dense(layer, xf, got);
    for (uint32_t j = 0; j < units; ++j) {
      ++tally.cases;
      if (same(float_bits(got[j]), float_bits(want[j])) || tally.mismatches++ >= kShownMismatches) continue;
      board_write("  dense(distribution ");
      write_decimal(kind);
      board_write(", ");
      write_decimal(units);
      board_write(" x ");
      write_decimal(inputs);
      board_write(", neuron ");
      write_decimal(j);
      board_write("): got ");
      write_hex(float_bits(got[j]));
      board_write(", the C loop ");
      write_hex(float_bits(want[j]));
      board_write(layer.bias != nullptr ? " (with a bias)\n" : "\n");
    }
  }
  tally.report();
}

// ---------------------------------------------------------------------------------------------
// anne_faxpy against scaled and add_scaled of include/anne/train/vectors.hpp: this program is
// built without ANNE_SOFTFLOAT_DOT, so those are the C loops, on libgcc's arithmetic.

constexpr uint32_t kAxpyVectors = 300000;
constexpr uint32_t kAxpyMaxLength = 8;
constexpr uint32_t kAxpyKinds = 10;

// a and x_0: one of random_pair's product distributions (kinds 0-7), a product rounding up to a
// power of two (8), or a special a against a network value (9). The other x_i: a signed zero, a
// special value, x_0 again with either sign, or the same distribution's second operand.
void axpy_operands(uint32_t kind, uint32_t n, uint32_t& a, uint32_t* x) {
  if (kind < 8)
    random_pair(kind, kMul, a, x[0]);
  else if (kind == 8)
    round_up_term(rnd() & 1u, (rnd() & 3u) ? 100 + rnd() % 50 : 2 + rnd() % 3, a, x[0]);
  else {
    a = special();
    x[0] = random_float(120, 130);
  }
  for (uint32_t i = 1; i < n; ++i) {
    uint32_t unused;
    switch (rnd() % 4) {
      case 0:
        x[i] = rnd() & 0x80000000u;
        break;
      case 1:
        x[i] = special();
        break;
      case 2:
        x[i] = x[0] ^ (rnd() & 0x80000000u);
        break;
      default:
        random_pair(kind < 8 ? kind : 2, kMul, unused, x[i]);
        break;
    }
  }
}

// z_i against the product p = a x_i: -p (an exact cancellation to +0, or inf - inf), -p with its
// low bits changed (massive cancellation), a signed zero, a special value, the addition's operand
// distribution, or a network value.
uint32_t axpy_addend(uint32_t a, uint32_t x) {
  const uint32_t p = float_bits(bits_float(a) * bits_float(x));
  uint32_t unused, z;
  switch (rnd() % 6) {
    case 0:
      return p ^ 0x80000000u;
    case 1:
      return (p ^ 0x80000000u) + (rnd() & 0xffu) - 0x80u;
    case 2:
      return rnd() & 0x80000000u;
    case 3:
      return special();
    case 4:
      random_pair(rnd(), kAdd, unused, z);
      return z;
    default:
      return random_float(110, 140);
  }
}

void check_axpy() {
  Tally tally("faxpy");
  static uint32_t x[kAxpyMaxLength], z[kAxpyMaxLength], got[kAxpyMaxLength], want[kAxpyMaxLength];
  for (uint32_t round = 0; round < kAxpyVectors; ++round) {
    const uint32_t kind = round % kAxpyKinds, n = rnd() % (kAxpyMaxLength + 1), form = rnd() % 3;
    uint32_t a;
    axpy_operands(kind, n, a, x);
    for (uint32_t i = 0; i < n; ++i) z[i] = axpy_addend(a, x[i]);
    const float af = bits_float(a);
    const float* xf = reinterpret_cast<const float*>(x);
    const float* zf = reinterpret_cast<const float*>(z);
    float* gf = reinterpret_cast<float*>(got);
    float* wf = reinterpret_cast<float*>(want);
    if (form == 0) {  // y = a x
      anne::train::scaled(af, xf, wf, n);
      anne_faxpy(nullptr, af, xf, gf, n);
    } else if (form == 1) {  // y = z + a x
      anne::train::add_scaled(zf, af, xf, wf, n);
      anne_faxpy(zf, af, xf, gf, n);
    } else {  // z += a x, in place
      for (uint32_t i = 0; i < n; ++i) got[i] = z[i];
      anne::train::add_scaled(zf, af, xf, wf, n);
      anne_faxpy(gf, af, xf, gf, n);
    }
    for (uint32_t i = 0; i < n; ++i) {
      ++tally.cases;
      if (same(got[i], want[i]) || tally.mismatches++ >= kShownMismatches) continue;
      board_write(form == 0 ? "  faxpy(y = a x" : form == 1 ? "  faxpy(y = z + a x" : "  faxpy(z += a x");
      board_write(", distribution ");
      write_decimal(kind);
      board_write(", a ");
      write_hex(a);
      board_write(", x ");
      write_hex(x[i]);
      board_write(", z ");
      write_hex(form == 0 ? 0u : z[i]);
      board_write("): got ");
      write_hex(got[i]);
      board_write(", the C loop ");
      write_hex(want[i]);
      board_write("\n");
    }
  }
  tally.report();
}

}  // namespace

int main() {
  board_write("anne soft-float check: float.S, dot.S and axpy.S against libgcc, bit for bit\n");
  check_binary("fadd", anne_fadd, __aeabi_fadd, kAdd);
  check_binary("fsub", anne_fsub, __aeabi_fsub, kAdd);
  check_binary("frsub", anne_frsub, __aeabi_frsub, kAdd);
  check_binary("fmul", anne_fmul, __aeabi_fmul, kMul);
  check_binary("fdiv", anne_fdiv, __aeabi_fdiv, kDiv);
  check_dot();
  check_dense();
  check_axpy();
  check_comparisons();
  check_flag_comparisons();
  check_float_to_int();
  check_int_to_float();
  board_write(any_mismatch ? "FAILED\n" : "all routines match libgcc\n");
  return any_mismatch ? 1 : 0;
}
