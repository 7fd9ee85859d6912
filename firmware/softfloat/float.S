// SPDX-License-Identifier: MIT
//
// Correctly rounded IEEE-754 binary32 arithmetic for ARMv6-M (Cortex-M0/M0+, the RP2040), in
// Thumb-1 assembly: anne_fadd, anne_fsub, anne_frsub, anne_fmul, anne_fdiv, the conversions
// anne_f2iz, anne_f2uiz, anne_i2f, anne_ui2f and the comparisons anne_fcmp{eq,lt,le,gt,ge,un},
// anne_cf{cmple,cmpeq,rcmple}.
//
// They follow the AEABI run-time ABI of the __aeabi_* routines they replace (aeabi.S gives them
// those names): operands in r0 and r1, the result in r0; they may change r0-r3, r12 and the flags
// and keep r4-r11 (the __aeabi_cf* routines keep r0-r3 too and answer in the flags).
// Every result is the one IEEE-754 prescribes in its default mode, bit for bit as on an x86 PC:
// round to nearest, ties to even; subnormal operands and results exact (no flush to zero);
// overflow to infinity; invalid operations (inf - inf, 0 * inf, 0 / 0, inf / inf, NaN operands)
// give the quiet NaN 0x7fc00000. firmware/softfloat/check.cpp compares them with libgcc.
//
// ---------------------------------------------------------------------------------------------
// Background: the format and correct rounding
//
// A binary32 word holds a sign s (bit 31), a biased exponent e (bits 30..23) and a fraction f
// (bits 22..0). For 1 <= e <= 254 the value is (-1)^s * m * 2^(e - 150) with the 24-bit
// significand m = 2^23 + f (the leading 1, the "hidden bit", is not stored). e = 0 holds zero and
// the subnormals f * 2^-149; e = 255 holds infinity (f = 0) and NaN (f != 0).
//
// The exact result of an operation generally needs more than 24 significant bits. Rounding to
// nearest keeps the 24 leading bits m and looks at what is cut off: the first bit below m, the
// ROUND bit r, and whether anything below r is nonzero, the STICKY bit t. The result is m when
// r = 0, m + 1 when r = 1 and t = 1 (above half way), and for r = 1, t = 0 (exactly half way, a
// tie) the even one of m and m + 1. So only three facts about the cut-off part ever matter, which
// is why the routines below can throw low bits away as long as they remember whether they were 0.
//
// Packing: with E the biased exponent of the result and M its significand (2^23 <= M < 2^24),
// the result word is  sign | (E - 1) << 23  plus  M: the hidden bit of M adds the missing 1 to
// the exponent field. This addition also handles the carry of rounding: when m = 2^24 - 1 rounds
// up to 2^24, the carry turns the fraction to 0 and increments the exponent, which is exactly the
// next binade's 2^24 / 2 = 2^23 significand; at E = 254 it gives e = 255, f = 0: infinity, as
// round-to-nearest overflow must. Thumb's ADCS adds the round bit (in the carry flag) for free.
//
// Every routine has a FAST PATH for the common case (normal operands far enough from the ends of
// the exponent range that the result is normal too) and sends everything else - zeros,
// subnormals, infinities, NaNs, results that overflow or underflow - to slower general code. The
// general code is written for clarity; it normalizes subnormal operands, works out the exact
// significand with round and sticky information and calls the common rounding routine sf_pack.
// ---------------------------------------------------------------------------------------------

        .syntax unified
        .cpu cortex-m0plus
        .thumb

// ANNE_SOFTFLOAT_AEABI (set by aeabi.S, which includes this file) additionally names every entry
// point by its __aeabi_* name and makes the anne_* names weak, so that an image may link aeabi.S
// alone or together with float.S.
        .macro FUNC name, aeabi
        .type anne_\name, %function
#if defined(ANNE_SOFTFLOAT_AEABI)
        .weak anne_\name
        .ifnb \aeabi
        .global __aeabi_\aeabi
        .type __aeabi_\aeabi, %function
        .thumb_func
__aeabi_\aeabi:
        .endif
#else
        .global anne_\name
#endif
        .thumb_func
anne_\name:
        .endm

        .macro ENDFUNC name, aeabi
        .size anne_\name, . - anne_\name
#if defined(ANNE_SOFTFLOAT_AEABI)
        .ifnb \aeabi
        .size __aeabi_\aeabi, . - __aeabi_\aeabi
        .endif
#endif
        .endm

// =============================================================================================
// anne_fmul: r0 = a * b
//
// Fast path: e_a in [64, 189] and e_b in [64, 191] (|a| and |b| between 2^-63 and 2^63 or 2^65),
// so that e_a + e_b - 128 is in [0, 252] and the product (of magnitude 2^(e_a + e_b - 254) to
// 2^(e_a + e_b - 252)) is a normal number; everything else goes to .Lmul_slow. The test for b is
// one ADDS: |b| << 1 doubled overflows (V) exactly when e_b's top two bits differ, i.e. for e_b
// in [64, 191]. The 24-bit significands give the 48-bit product P = m_a * m_b in
// [2^46, 2^48). MULS only yields the low 32 bits of a product, so P is built from 16-bit halves,
// m_a = a1 * 2^16 + a0 and m_b = b1 * 2^16 + b0 (a1, b1 < 2^8):
//     P = (m_a * b1 + a1 * b0) * 2^16 + a0 * b0,
// where m_a * b1 < 2^32 and a0 * b0 < 2^32 fit a register, so Q = P >> 16 = m_a*b1 + a1*b0 +
// (a0*b0 >> 16) is exact, and the low 16 bits of a0 * b0 are the low 16 bits of P. (b1 and b0
// come straight from b's bits, so only m_a is built as a whole.)
// If P >= 2^47 (bit 31 of Q set), the significand is Q >> 8 (P bits 47..24), the round bit is
// Q bit 7 and the sticky bit is Q bits 6..0 together with P bits 15..0; else it is Q >> 7 with
// round bit Q bit 6, and the exponent is one lower. Sign and exponent come together: with
// x:y = 256 * x + y, (s_a:(e_a - 1)) + (s_b:e_b) - 127 = 256 (s_a + s_b) + E - 1, whose
// bit 8 is s_a XOR s_b and whose low 8 bits are the result's E - 1, so shifting it left by 23
// makes the packed sign and exponent word (higher bits fall off). The same s_a:(e_a - 1) << 23,
// subtracted from a, leaves its significand 2^23 + f.
// =============================================================================================
        .section .text.anne_fmul, "ax", %progbits
        .balign 4
        FUNC fmul, fmul
        lsrs    r2, r0, #23
        subs    r2, #1                  // r2 = s_a:(e_a - 1)
        uxtb    r3, r2
        subs    r3, #63
        cmp     r3, #125
        bhi     .Lmul_slow              // e_a outside [64, 189]
        lsls    r3, r1, #1
        adds    r3, r3                  // overflows iff e_b's top two bits differ
        bvc     .Lmul_slow              // e_b outside [64, 191]
        lsls    r3, r2, #23
        subs    r0, r3                  // m_a
        lsrs    r3, r1, #23             // s_b:e_b
        adds    r2, r3
        subs    r2, #127                // 256 (s_a + s_b) + (e_a + e_b - 128)
        mov     r12, r2
        lsls    r2, r1, #9
        lsrs    r2, r2, #25
        adds    r2, #128                // b1 = m_b >> 16
        muls    r2, r0                  // m_a * b1
        uxth    r1, r1                  // b0
        lsrs    r3, r0, #16             // a1
        muls    r3, r1                  // a1 * b0
        adds    r2, r3
        uxth    r3, r0                  // a0
        muls    r3, r1                  // a0 * b0 (its low half: P bits 15..0)
        lsrs    r0, r3, #16
        adds    r0, r2                  // Q = P >> 16; N = P bit 47
        mov     r2, r12
        bmi     .Lmul_47
        lsls    r2, r2, #23             // sign | (E - 1) << 23, E = e_a + e_b - 127
        lsls    r1, r0, #26             // C = round bit Q[6], Z = Q[5:0] == 0
        beq     .Lmul_tie46
        lsrs    r0, r0, #7              // 24-bit significand; C = round bit again
        adcs    r0, r2
        bx      lr
.Lmul_47:
        adds    r2, #1
        lsls    r2, r2, #23             // sign | (E - 1) << 23, E = e_a + e_b - 126
        lsls    r1, r0, #25             // C = round bit Q[7], Z = Q[6:0] == 0
        beq     .Lmul_tie47
        lsrs    r0, r0, #8
        adcs    r0, r2
        bx      lr

// The bits of Q below the round bit are all zero: P bits 15..0 (low half of r3) decide between
// "above half" and a tie.
.Lmul_tie46:
        lsrs    r0, r0, #7              // C = round bit
        b       .Lmul_tie
.Lmul_tie47:
        lsrs    r0, r0, #8
.Lmul_tie:
        bcc     2f                      // round bit 0: truncate
        lsls    r3, r3, #16
        bne     1f                      // sticky: round up
        lsls    r1, r0, #31             // a tie: round to even
        beq     2f
1:      adds    r0, #1
2:      adds    r0, r2
        bx      lr

// A zero operand (common in networks: ReLU outputs) gives a signed zero, unless the other
// operand is infinite or NaN.
.Lmul_slow:
        lsls    r2, r1, #1              // |b| << 1
        lsls    r3, r0, #1              // |a| << 1
        beq     1f                      // a = +-0: the other operand is b
        cmp     r2, #0
        bne     .Lmul_general
        movs    r2, r3                  // b = +-0: the other operand is a
1:      lsrs    r2, r2, #24             // the other operand's exponent
        cmp     r2, #255
        beq     2f                      // 0 * inf, 0 * NaN: invalid
        eors    r0, r1
        lsrs    r0, r0, #31
        lsls    r0, r0, #31
        bx      lr
2:      ldr     r0, =0x7fc00000
        bx      lr

// General case: any nonzero operands (.Lmul_slow took the zeros), any result.
.Lmul_general:
        push    {r4-r7, lr}
        movs    r4, r0
        eors    r4, r1
        lsrs    r4, r4, #31
        lsls    r4, r4, #31             // r4 = sign of the result
        lsls    r6, r0, #1              // |a| << 1
        lsls    r7, r1, #1              // |b| << 1
        movs    r5, #0xff
        lsls    r5, r5, #24             // infinity << 1
        cmp     r6, r5
        bhi     .Lmul_nan               // a is NaN
        cmp     r7, r5
        bhi     .Lmul_nan               // b is NaN
        beq     .Lmul_inf               // b infinite, a nonzero and not NaN
        cmp     r6, r5
        beq     .Lmul_inf               // a infinite, b nonzero and finite
        movs    r0, r6
        bl      sf_unpack
        movs    r6, r0                  // m_a in [2^23, 2^24)
        movs    r5, r1                  // its exponent (< 1 for a subnormal)
        movs    r0, r7
        bl      sf_unpack
        adds    r5, r1                  // e_a + e_b
        movs    r1, r0                  // m_b
        movs    r0, r6                  // m_a
        lsrs    r2, r0, #16             // Q = a1*m_b + a0*b1 + (a0*b0 >> 16), as in the
        muls    r2, r1                  // fast path with the roles of a and b exchanged
        uxth    r0, r0
        uxth    r3, r1
        muls    r3, r0
        lsrs    r1, r1, #16
        muls    r1, r0
        adds    r1, r2
        lsrs    r0, r3, #16
        adds    r0, r1                  // Q = P >> 16
        lsls    r1, r3, #16             // P bits 15..0: sticky
        subs    r5, #126                // E if P >= 2^47
        cmp     r0, #0
        blt     1f
        lsls    r0, r0, #1              // normalize: bit 31 set
        subs    r5, #1
1:      movs    r2, r5
        movs    r3, r4
        bl      sf_pack
        pop     {r4-r7, pc}
.Lmul_inf:
        lsrs    r0, r5, #1              // infinity
        orrs    r0, r4
        pop     {r4-r7, pc}
.Lmul_nan:
        ldr     r0, =0x7fc00000
        pop     {r4-r7, pc}
        .ltorg
        ENDFUNC fmul, fmul

// =============================================================================================
// anne_fdiv: r0 = a / b
//
// Fast path: e_a in [66, 191] and e_b in [64, 191] (b tested with one ADDS, as in anne_fmul), so
// that e_a - e_b is in [-125, 127] and the quotient is normal (exponent field 1 to 254). With x = m_a, y = m_b (both in [2^23, 2^24)) first x doubles if x < y
// (the exponent goes one down), so that x / y is in [1, 2). Then the 25-bit integer
//     Q = floor(x * 2^24 / y)  in [2^24, 2^25)
// holds the 24-bit significand (Q >> 1) and the round bit (Q bit 0). No tie can occur: a tie
// would need x * 2^24 = Q * y with Q odd, so Q would divide x < 2 Q, forcing x = Q and y = 2^24,
// which is not a 24-bit significand. So the correctly rounded significand is (Q + 1) >> 1.
//
// Q comes from a reciprocal and two 12-bit quotient "digits", each checked with an exact
// remainder (there is no divide instruction):
//  1. r ~ 2^39 / y: a 16-bit first guess r0 from a 256-entry table indexed by bits 22..15 of y
//     (relative error |eps| < 2^-9), refined by one Newton-Raphson step r = r0 + r0 * eps with
//     eps * 2^39 = 2^39 - y * r0. That error term is below 2^31 in magnitude, so the low 32 bits
//     of y * r0 that MULS gives determine it. The step leaves r <= 2^39 / y, short by at most
//     1.3 units (relative 2^-14.6); the flooring shifts only make r smaller.
//  2. q1 = (x >> 9) * r >> 18 estimates x * 2^12 / y < 2^13 from below, by less than one unit
//     (the truncated x costs 0.25 and r's error 0.32), so the remainder R1 = x * 2^12 - q1 * y is
//     in [0, 2y). It is small, so computing it modulo 2^32 with MULS is exact.
//  3. q2 = (R1 >> 9) * r >> 18 estimates R1 * 2^12 / y in the same way; R2 = R1 * 2^12 - q2 * y
//     is in [0, 2y), and Q = q1 * 2^12 + q2 is floor(x * 2^24 / y) or one less, which
//     R2 >= y tells. (A Python model checked the reciprocal for every y and the digits for
//     millions of x, y; check.cpp checks the assembly.)
// Sign and exponent: (s_a:(e_a - 1)) - (s_b:(e_b - 1)) + 126 = 256 (s_a - s_b) + E - 1 with
// E = e_a - e_b + 127 (one less after doubling x); bit 8 is again s_a XOR s_b.
// =============================================================================================
        .section .text.anne_fdiv, "ax", %progbits
        .balign 4
        FUNC fdiv, fdiv
        lsrs    r2, r0, #23
        subs    r2, #1                  // s_a:(e_a - 1)
        uxtb    r3, r2
        subs    r3, #65
        cmp     r3, #125
        bhi     .Ldiv_slow_near         // e_a outside [66, 191]
        lsls    r3, r1, #1
        adds    r3, r3                  // overflows iff e_b's top two bits differ
        bvc     .Ldiv_slow_near         // e_b outside [64, 191]
        push    {r4, r5}
        lsls    r3, r2, #23
        subs    r0, r3                  // x = m_a
        lsrs    r3, r1, #23
        subs    r3, #1                  // s_b:(e_b - 1)
        subs    r2, r3
        lsls    r3, r3, #23
        subs    r1, r3                  // y = m_b
        adds    r2, #126                // 256 (s_a - s_b) + e_a - e_b + 126
        cmp     r0, r1
        bhs     1f
        lsls    r0, r0, #1              // x < y: double x, one less for the exponent
        subs    r2, #1
1:      lsls    r3, r1, #9
        lsrs    r3, r3, #24             // y bits 22..15
        lsls    r3, r3, #1
        adr     r4, .Ldiv_table
        ldrh    r4, [r4, r3]            // r0 ~ 2^39 / y
        movs    r3, r1
        muls    r3, r4
        negs    r3, r3                  // 2^39 - y * r0 (exact: it is small)
        asrs    r3, r3, #16
        muls    r3, r4
        asrs    r3, r3, #23
        adds    r4, r3                  // r ~ 2^39 / y, from below
        lsrs    r3, r0, #9
        muls    r3, r4
        lsrs    r3, r3, #18             // q1
        lsls    r0, r0, #12
        movs    r5, r3
        muls    r5, r1
        subs    r0, r5                  // R1 = x * 2^12 - q1 * y
        lsrs    r5, r0, #9
        muls    r5, r4
        lsrs    r5, r5, #18             // q2
        lsls    r0, r0, #12
        movs    r4, r5
        muls    r4, r1
        subs    r0, r4                  // R2 = R1 * 2^12 - q2 * y
        lsls    r3, r3, #12
        adds    r3, r5                  // Q, or Q - 1 if R2 >= y
        movs    r4, #1
        cmp     r0, r1                  // C = (R2 >= y)
        adcs    r3, r4                  // Q + 1
        lsrs    r3, r3, #1              // rounded significand
        lsls    r2, r2, #23             // sign | (E - 1) << 23
        adds    r0, r2, r3
        pop     {r4, r5}
        bx      lr
.Ldiv_slow_near:
        b       .Ldiv_slow

        .balign 4
.Ldiv_table:                            // round(2^24 / (256 + i + 1/2)), i = 0..255
        .hword 0xff80, 0xfe82, 0xfd86, 0xfc8c, 0xfb94, 0xfa9e, 0xf9a9, 0xf8b7
        .hword 0xf7c6, 0xf6d7, 0xf5ea, 0xf4ff, 0xf415, 0xf32d, 0xf247, 0xf163
        .hword 0xf080, 0xef9f, 0xeebf, 0xede1, 0xed05, 0xec2a, 0xeb51, 0xea7a
        .hword 0xe9a4, 0xe8cf, 0xe7fc, 0xe72b, 0xe65b, 0xe58c, 0xe4bf, 0xe3f4
        .hword 0xe329, 0xe260, 0xe199, 0xe0d3, 0xe00e, 0xdf4b, 0xde88, 0xddc8
        .hword 0xdd08, 0xdc4a, 0xdb8d, 0xdad1, 0xda17, 0xd95e, 0xd8a6, 0xd7ef
        .hword 0xd73a, 0xd685, 0xd5d2, 0xd520, 0xd46f, 0xd3bf, 0xd311, 0xd263
        .hword 0xd1b7, 0xd10c, 0xd062, 0xcfb9, 0xcf11, 0xce6a, 0xcdc4, 0xcd1f
        .hword 0xcc7b, 0xcbd8, 0xcb36, 0xca96, 0xc9f6, 0xc957, 0xc8b9, 0xc81c
        .hword 0xc780, 0xc6e5, 0xc64b, 0xc5b2, 0xc51a, 0xc482, 0xc3ec, 0xc357
        .hword 0xc2c2, 0xc22e, 0xc19b, 0xc109, 0xc078, 0xbfe8, 0xbf59, 0xbeca
        .hword 0xbe3c, 0xbdaf, 0xbd23, 0xbc98, 0xbc0d, 0xbb83, 0xbafb, 0xba72
        .hword 0xb9eb, 0xb964, 0xb8de, 0xb859, 0xb7d5, 0xb751, 0xb6ce, 0xb64c
        .hword 0xb5cb, 0xb54a, 0xb4ca, 0xb44b, 0xb3cc, 0xb34e, 0xb2d1, 0xb254
        .hword 0xb1d8, 0xb15d, 0xb0e3, 0xb069, 0xaff0, 0xaf77, 0xaeff, 0xae88
        .hword 0xae11, 0xad9b, 0xad26, 0xacb1, 0xac3d, 0xabc9, 0xab56, 0xaae4
        .hword 0xaa72, 0xaa01, 0xa990, 0xa920, 0xa8b1, 0xa842, 0xa7d3, 0xa766
        .hword 0xa6f8, 0xa68c, 0xa620, 0xa5b4, 0xa549, 0xa4df, 0xa475, 0xa40c
        .hword 0xa3a3, 0xa33a, 0xa2d3, 0xa26b, 0xa204, 0xa19e, 0xa138, 0xa0d3
        .hword 0xa06e, 0xa00a, 0x9fa6, 0x9f43, 0x9ee0, 0x9e7e, 0x9e1c, 0x9dba
        .hword 0x9d59, 0x9cf9, 0x9c99, 0x9c39, 0x9bda, 0x9b7c, 0x9b1d, 0x9ac0
        .hword 0x9a62, 0x9a05, 0x99a9, 0x994d, 0x98f1, 0x9896, 0x983b, 0x97e1
        .hword 0x9787, 0x972e, 0x96d5, 0x967c, 0x9624, 0x95cc, 0x9574, 0x951d
        .hword 0x94c7, 0x9470, 0x941b, 0x93c5, 0x9370, 0x931b, 0x92c7, 0x9273
        .hword 0x921f, 0x91cc, 0x9179, 0x9127, 0x90d5, 0x9083, 0x9032, 0x8fe1
        .hword 0x8f90, 0x8f40, 0x8ef0, 0x8ea0, 0x8e51, 0x8e02, 0x8db3, 0x8d65
        .hword 0x8d17, 0x8cc9, 0x8c7c, 0x8c2f, 0x8be2, 0x8b96, 0x8b4a, 0x8aff
        .hword 0x8ab3, 0x8a68, 0x8a1e, 0x89d3, 0x8989, 0x8940, 0x88f6, 0x88ad
        .hword 0x8864, 0x881c, 0x87d3, 0x878c, 0x8744, 0x86fd, 0x86b6, 0x866f
        .hword 0x8628, 0x85e2, 0x859c, 0x8557, 0x8511, 0x84cc, 0x8488, 0x8443
        .hword 0x83ff, 0x83bb, 0x8377, 0x8334, 0x82f1, 0x82ae, 0x826b, 0x8229
        .hword 0x81e7, 0x81a5, 0x8164, 0x8123, 0x80e2, 0x80a1, 0x8060, 0x8020

// General case. After the special operands, both significands are normalized to [2^23, 2^24)
// (subnormals shifted up, their exponent below 1) and Q = floor(x * 2^24 / y) comes from plain
// restoring division, one bit per step; the remainder is the sticky bit.
.Ldiv_slow:
        push    {r4-r7, lr}
        movs    r4, r0
        eors    r4, r1
        lsrs    r4, r4, #31
        lsls    r4, r4, #31             // r4 = sign of the result
        lsls    r6, r0, #1
        lsls    r7, r1, #1
        movs    r5, #0xff
        lsls    r5, r5, #24             // infinity << 1
        cmp     r6, r5
        bhi     .Ldiv_nan
        cmp     r7, r5
        bhi     .Ldiv_nan
        beq     .Ldiv_b_inf
        cmp     r6, r5
        beq     .Ldiv_inf               // inf / finite
        cmp     r7, #0
        beq     .Ldiv_b_zero
        cmp     r6, #0
        beq     .Ldiv_zero              // 0 / finite nonzero
        movs    r0, r6
        bl      sf_unpack
        movs    r6, r0                  // x
        movs    r5, r1                  // e_a
        movs    r0, r7
        bl      sf_unpack
        subs    r5, r1
        adds    r5, #127                // E = e_a - e_b + 127
        movs    r1, r0                  // y
        movs    r0, r6                  // x
        cmp     r0, r1
        bhs     1f
        lsls    r0, r0, #1
        subs    r5, #1
1:      movs    r2, #0                  // Q
        movs    r3, #25                 // quotient bits
2:      lsls    r2, r2, #1
        cmp     r0, r1
        blo     3f
        subs    r0, r1
        adds    r2, #1
3:      lsls    r0, r0, #1
        subs    r3, #1
        bne     2b
        movs    r1, r0                  // remainder: sticky
        lsls    r0, r2, #7              // Q with its leading bit at bit 31
        movs    r2, r5
        movs    r3, r4
        bl      sf_pack
        pop     {r4-r7, pc}
.Ldiv_b_inf:                            // finite / inf = 0, inf / inf is invalid
        cmp     r6, r5
        beq     .Ldiv_nan
.Ldiv_zero:
        movs    r0, r4
        pop     {r4-r7, pc}
.Ldiv_b_zero:                           // 0 / 0 is invalid, x / 0 = inf
        cmp     r6, #0
        beq     .Ldiv_nan
.Ldiv_inf:
        ldr     r0, =0x7f800000
        orrs    r0, r4
        pop     {r4-r7, pc}
.Ldiv_nan:
        ldr     r0, =0x7fc00000
        pop     {r4-r7, pc}
        .ltorg
        ENDFUNC fdiv, fdiv

// =============================================================================================
// anne_fadd: r0 = a + b; anne_fsub: a - b; anne_frsub: b - a (the last two flip a sign first)
//
// The operands are ordered by magnitude (comparing a << 1 with b << 1 compares |a| and |b|,
// since the exponent sits above the fraction), so that |a| >= |b|: then the result has a's sign,
// only a can be infinite or NaN and only b can be zero or subnormal, which keeps the checks
// short. Two copies of the code, one for each order, spare the swap. With d = e_a - e_b >= 0:
//     A = m_a * 2^8          (the hidden bit at bit 31, eight zero bits below the significand)
//     B = m_b * 2^8 >> d     (register shifts by 32 or more give 0)
// Same signs: S = A + B. If it carried out of bit 31 (the true sum 2^32 + S), the result's
// exponent is e_a + 1 and its bits are S >> 9 (round bit S[8]); else the exponent is e_a and the
// bits are S >> 8 (round bit S[7]), which is just the word a plus B >> 8.
// Different signs: S = A - B >= 0. With S[31] set the exponent is e_a and the result is the word
// a minus a rounded B >> 8 (see SUB_BODY); S in [2^30, 2^31) lost one leading bit (exponent
// e_a - 1, bits taken from 2S); below 2^30 at least two leading bits cancelled, which needs
// d <= 1, where nothing was shifted out of B: that result is exact and is normalized one bit at
// a time (.Lsub_cancel), down to zero or a subnormal.
//
// Sticky bits: for d > 8, bits of m_b fell off the end of B. They matter only when every bit of
// S below the round bit is 0 (the Z flag of one LSLS tells): then they decide, via the smaller
// operand kept in r12, between exactly half way (a tie) and above it (sum: round up) or below it
// (difference: the true value is a hair below S, so round down). In all other cases S rounds
// exactly like the true value: its own nonzero low bits already carry the sticky information,
// and for a difference the missing fraction (< 1 unit of bit 0) cannot move S across a boundary.
// Exact sums and differences (common with short decimal weights) take these tie paths too, but
// leave them quickly: with round bit 0 nothing is to be done, and B >= 2^23 means d <= 8.
//
// The exponent guards: e_a <= 253 (so that the carry of a sum cannot overflow unnoticed; NaN and
// infinity go to the general .Ladd_slow, which also makes a signalling NaN quiet) and e_b >= 1
// (>= 2 for a difference, so that the result exponent stays >= 1). Zero operands are common in
// networks (a running sum that starts at 0, ReLU outputs): b = +-0 then returns a at once (for a
// difference of two zeros, +0); subnormal b and the rest go to .Ladd_slow.
// =============================================================================================
// The sum of two same-signed operands, the one of larger magnitude in register ra (its |x| << 1
// in xa), the other in rb (|x| << 1 in xb); {xa, xb} = {r2, r3}.
// When S does not carry, the result has a's exponent and its significand is m_a + (B >> 8)
// (A's low 8 bits are 0), so it is simply the word a plus B >> 8 plus the round bit B[7]: the
// fraction cannot overflow into the exponent field before rounding (that is the carry case), and
// a carry of the rounding itself is the correct next binade.
        .macro ADD_BODY ra, rb, xa, xb, sfx
        lsrs    \xa, \xa, #24           // e_a
        cmp     \xa, #254
        bhs     .Ladd_slow\sfx          // a is huge, infinite or NaN
        lsrs    \xb, \xb, #24           // e_b
        beq     .Ladd_small\sfx         // b is zero or subnormal
        subs    r3, \xa, \xb            // d = e_a - e_b
        mov     r12, \rb                // for the rare tie path
        movs    r2, #1
        lsls    r2, r2, #31             // 2^31
        lsls    \rb, \rb, #8
        orrs    \rb, r2
        lsrs    \rb, r3                 // B = m_b * 2^8 >> d
        lsls    r3, \ra, #8
        orrs    r3, r2                  // A = m_a * 2^8
        adds    r3, \rb                 // S = A + B
        bcs     .Ladd_carry\sfx
        lsls    r2, \rb, #25            // C = round bit B[7] = S[7], Z = B[6:0] == 0
        beq     .Ladd_tie\sfx
        lsrs    \rb, \rb, #8
        adcs    r0, r1                  // a + (B >> 8) + round bit
        bx      lr
.Ladd_carry\sfx:                        // the sum is 2^32 + S
        lsrs    r0, \ra, #23
        adds    r0, #1
        lsls    r0, r0, #23             // sign | (e_a + 1) << 23
        lsrs    r1, r3, #9              // its 23 fraction bits
        lsls    r3, r3, #24             // C = round bit S[8], Z = S[7:0] == 0
        beq     .Ladd_tie9
        adcs    r0, r1
        bx      lr
.Ladd_tie\sfx:                          // the rest of S below the round bit is zero
        lsrs    \rb, \rb, #8            // C = round bit
        bcc     .Ltie_exact
        lsrs    r2, \rb, #15
        bne     .Ltie_even              // B >= 2^23: d <= 8, nothing was lost
        lsls    r2, \ra, #1
        lsrs    r2, r2, #24             // e_a
        b       .Ladd_tie_round
.Ladd_small\sfx:                        // a + 0 = a (also for a = 0); subnormal b: slow
        lsls    r2, \rb, #1
        bne     .Ladd_slow\sfx
        .ifnc \ra, r0
        movs    r0, \ra
        .endif
        bx      lr
.Ladd_slow\sfx:
        b       .Ladd_slow
        .endm

// The difference of the magnitudes of two operands of opposite signs, the larger one in ra.
// When S = A - B keeps bit 31, the result has a's exponent; with B = 256 q + r (0 <= r < 256)
// the kept significand is m_a - q - (r > 0) and the cut bits are (256 - r) mod 256, so rounding
// gives m_a - q for r < 128, m_a - q - 1 for r > 128: the word a minus ((B + 128) >> 8).
// r = 128 is half way (or, with lost bits, below it) and goes to the tie path.
        .macro SUB_BODY ra, rb, xa, xb, sfx
        lsrs    \xa, \xa, #24           // e_a
        cmp     \xa, #254
        bhs     .Lsub_slow\sfx          // a is huge, infinite or NaN
        lsrs    \xb, \xb, #24           // e_b
        cmp     \xb, #1
        bls     .Lsub_small\sfx         // b is zero, subnormal or has e_b = 1
        subs    r3, \xa, \xb            // d = e_a - e_b
        mov     r12, \rb
        movs    r2, #1
        lsls    r2, r2, #31
        lsls    \rb, \rb, #8
        orrs    \rb, r2
        lsrs    \rb, r3                 // B
        lsls    r3, \ra, #8
        orrs    r3, r2                  // A
        subs    r3, \rb                 // S = A - B >= 0
        bpl     .Lsub_low\sfx
        lsls    r3, r3, #25             // C = round bit S[7], Z = S[6:0] == 0
        beq     .Lsub_tie\sfx
        adds    \rb, #128
        lsrs    \rb, \rb, #8
        subs    r0, \ra, \rb            // a - ((B + 128) >> 8)
        bx      lr
.Lsub_low\sfx:                          // S < 2^31: use 2S
        lsls    r3, r3, #1
        bpl     .Lsub_cancel\sfx
        lsrs    r0, \ra, #23
        subs    r0, #2
        lsls    r0, r0, #23             // sign | (e_a - 2) << 23
        lsrs    r1, r3, #8
        lsls    r3, r3, #25             // C = round bit (2S)[7] = S[6], Z = S[5:0] == 0
        beq     .Lsub_tie7
        adcs    r0, r1
        bx      lr
.Lsub_tie\sfx:                          // B mod 256 is 0 (exact) or 128 (half way or below)
        lsrs    r3, \rb, #8             // q; C = B[7]
        bcc     .Lsub_exact\sfx
        lsrs    r2, r3, #15             // nonzero iff B >= 2^23, i.e. d <= 8: nothing was lost
        adds    r3, #1
        subs    r0, \ra, r3             // a - q - 1, the lower neighbour (exponent still e_a)
        movs    r1, #0
        cmp     r2, #0
        bne     .Lsub_even
        lsls    r2, r0, #1
        lsrs    r2, r2, #24             // e_a
        b       .Lsub_tie_round
.Lsub_exact\sfx:
        subs    r0, \ra, r3             // a - q
        bx      lr
.Lsub_cancel\sfx:                       // 2S < 2^31: exact; normalize bit by bit
        beq     .Lsub_zero\sfx
        lsls    r2, \ra, #1
        lsrs    r2, r2, #24
        subs    r2, #1                  // the exponent field of bit 31 of 2S
        lsrs    r0, \ra, #31
        lsls    r0, r0, #31             // sign of a
1:      subs    r2, #1
        lsls    r3, r3, #1
        bpl     1b
        b       .Lsub_cancel_pack
.Lsub_zero\sfx:
        b       .Lsub_zero
.Lsub_small\sfx:                        // a - 0 = a; 0 - 0 = +0; the rest: slow
        lsls    r2, \rb, #1
        bne     .Lsub_slow\sfx
        lsls    r2, \ra, #1
        beq     .Lsub_zero\sfx
        .ifnc \ra, r0
        movs    r0, \ra
        .endif
        bx      lr
.Lsub_slow\sfx:
        b       .Ladd_slow
        .endm

// Were bits of m_b shifted out of B? r2 = e_a, r12 = b. Branches to `none` or `some`.
// B = m_b * 2^8 >> d loses nothing for d <= 8, everything (the hidden bit too) for d >= 32, and
// otherwise the d - 8 low fraction bits of b, which b << (40 - d) keeps.
        .macro LOST none, some
        mov     r3, r12
        lsls    r3, r3, #1
        lsrs    r3, r3, #24             // e_b
        subs    r2, r3                  // d
        cmp     r2, #8
        bls     \none
        cmp     r2, #32
        bhs     \some
        movs    r3, #40
        subs    r3, r2
        mov     r2, r12
        lsls    r2, r3
        beq     \none
        b       \some
        .endm

        .section .text.anne_fadd, "ax", %progbits
        .balign 4
        FUNC frsub, frsub
        movs    r2, #1
        lsls    r2, r2, #31
        eors    r0, r2
        b       .Ladd_entry
        ENDFUNC frsub, frsub

        FUNC fsub, fsub
        movs    r2, #1
        lsls    r2, r2, #31
        eors    r1, r2
        ENDFUNC fsub, fsub

        FUNC fadd, fadd
.Ladd_entry:
        movs    r2, r0
        eors    r2, r1
        bmi     .Lsub                   // different signs: a difference of magnitudes
        lsls    r2, r0, #1
        lsls    r3, r1, #1
        cmp     r2, r3
        bcc     .Ladd_swapped
        ADD_BODY r0, r1, r2, r3, _n
.Ladd_swapped:
        ADD_BODY r1, r0, r3, r2, _s

// The rare tie paths. On entry the result is r0 + r1, or r0 + r1 + 1 when rounding up; r2 = e_a;
// r12 = the smaller operand b; every bit of S below the round bit is 0 and the round bit is 1.
// Whether bits of m_b were shifted out of B decides: they make a sum round up and a difference
// round down; without them the exact value is half way, and the even neighbour wins.
.Ladd_tie9:                             // carried sum: r0 = sign | (e_a + 1) << 23, r1 = fraction
        bcc     .Ltie_exact
        lsrs    r2, r1, #14
        bne     .Ltie_even              // S >= 2^23: then B >= 2^23, d <= 8, nothing was lost
        lsls    r2, r0, #1
        lsrs    r2, r2, #24
        subs    r2, #1
.Ladd_tie_round:
        LOST    .Ltie_even, .Ltie_up
.Ltie_up:
        adds    r0, r1
        adds    r0, #1
        bx      lr
.Ltie_exact:
        adds    r0, r1
        bx      lr
.Ltie_even:                             // exactly half way: to the even neighbour
        adds    r0, r1
        lsls    r2, r0, #31
        beq     1f
        adds    r0, #1
1:      bx      lr

.Lsub:
        lsls    r2, r0, #1
        lsls    r3, r1, #1
        cmp     r2, r3
        bcc     .Lsub_swapped
        SUB_BODY r0, r1, r2, r3, _n
.Lsub_swapped:
        SUB_BODY r1, r0, r3, r2, _s

// The tie paths of the difference: lost bits of m_b put the true value below the half-way point
// (round down: r0 + r1); without them it is a tie.
.Lsub_tie7:                             // r0 = sign | (e_a - 2) << 23, r1 = significand
        bcc     .Lsub_down
        lsls    r2, r0, #1
        lsrs    r2, r2, #24
        adds    r2, #2
.Lsub_tie_round:
        LOST    .Lsub_even, .Lsub_down
.Lsub_down:
        adds    r0, r1
        bx      lr
.Lsub_even:
        adds    r0, r1
        lsls    r2, r0, #31
        beq     1f
        adds    r0, #1
1:      bx      lr

// Massive cancellation: r0 = sign, r2 = the exponent field that the leading bit (now bit 31) of
// r3 has, r3 exact with bits 7..0 zero. Normal, or subnormal (then exact too).
.Lsub_cancel_pack:
        cmp     r2, #0
        ble     1f
        subs    r2, #1
        lsls    r2, r2, #23
        adds    r0, r2
        lsrs    r3, r3, #8
        adds    r0, r3
        bx      lr
1:      negs    r2, r2
        adds    r2, #9
        lsrs    r3, r2
        adds    r0, r3
        bx      lr
.Lsub_zero:                             // x - x = +0 when rounding to nearest
        movs    r0, #0
        bx      lr

// General case. Orders by magnitude, handles NaN, infinities and zeros, then adds the aligned
// significands A = m_a << 7, B = m_b << 7 >> d (subnormals: exponent 1, no hidden bit) with the
// sticky bit "jammed" into bit 0 of B. That is exact enough: bits can only be lost for d >= 8,
// and then S keeps its leading bit at bit 29 or higher, so the round bit is at bit 5 or higher;
// every value strictly between the same two multiples of 2 rounds alike, and B | sticky lies
// there with the exact B (for sums and for differences). The result is normalized by a loop and
// rounded by sf_pack (subnormal results of a sum or difference are always exact).
.Ladd_slow:
        push    {r4-r7, lr}
        lsls    r2, r0, #1
        lsls    r3, r1, #1
        cmp     r2, r3
        bhs     1f
        movs    r4, r0                  // swap: |a| >= |b|
        movs    r0, r1
        movs    r1, r4
        movs    r4, r2
        movs    r2, r3
        movs    r3, r4
1:      movs    r4, #0xff
        lsls    r4, r4, #24             // infinity << 1
        cmp     r2, r4
        blo     3f
        bhi     .Ladd_nan               // a is NaN
        cmp     r3, r4
        bne     .Ladd_ret               // inf + finite
        movs    r5, r0
        eors    r5, r1
        bmi     .Ladd_nan               // inf - inf
        b       .Ladd_ret
3:      cmp     r3, #0
        bne     4f
        cmp     r2, #0
        bne     .Ladd_ret               // a + 0 = a
        ands    r0, r1                  // 0 + 0: -0 only if both are -0
        b       .Ladd_ret
4:      movs    r7, r0                  // keep a (sign) and b
        movs    r6, r1
        movs    r0, r2
        bl      sf_unpack_raw
        movs    r4, r0                  // m_a (no hidden bit if subnormal)
        movs    r5, r1                  // e_a (1 if subnormal)
        lsls    r0, r6, #1
        bl      sf_unpack_raw
        subs    r5, r1                  // d = e_a - e_b
        adds    r1, r5                  // r1 = e_a again
        lsls    r4, r4, #7              // A
        lsls    r0, r0, #7              // B before the shift
        cmp     r5, #32
        blo     5f
        movs    r0, #1                  // all of B is below bit 0: just its sticky bit
        b       6f
5:      movs    r2, #32
        subs    r2, r5
        movs    r3, r0
        lsls    r3, r2                  // the bits shifted out (nothing when d = 0)
        lsrs    r0, r5
        cmp     r5, #0
        beq     6f
        cmp     r3, #0
        beq     6f
        movs    r2, #1
        orrs    r0, r2                  // jam
6:      eors    r6, r7
        bmi     7f
        adds    r4, r0
        b       8f
7:      subs    r4, r0
        beq     .Ladd_zero              // exact cancellation: +0
8:      lsrs    r3, r7, #31
        lsls    r3, r3, #31             // the sign of a
        adds    r2, r1, #1              // E if S had bit 31 set
        movs    r0, r4
9:      cmp     r0, #0
        blt     10f
        lsls    r0, r0, #1
        subs    r2, #1
        b       9b
10:     movs    r1, #0
        bl      sf_pack
        pop     {r4-r7, pc}
.Ladd_zero:
        movs    r0, #0
        pop     {r4-r7, pc}
.Ladd_nan:
        ldr     r0, =0x7fc00000
.Ladd_ret:
        pop     {r4-r7, pc}
        .ltorg
        ENDFUNC fadd, fadd

// =============================================================================================
// Shared helpers of the general paths (local to this file).
// =============================================================================================

// sf_unpack: r0 = |x| << 1 of a finite nonzero x. Returns r0 = significand in [2^23, 2^24) and
// r1 = exponent, such that |x| = r0 * 2^(r1 - 150): a subnormal's fraction is shifted up until
// its leading bit reaches the hidden bit's place, its exponent going below 1. Clobbers r2.
        .section .text.anne_sf_unpack, "ax", %progbits
        .balign 2
        .type sf_unpack, %function
        .thumb_func
sf_unpack:
        lsrs    r1, r0, #24
        lsls    r0, r0, #7
        lsrs    r0, r0, #8              // fraction
        cmp     r1, #0
        beq     2f
        movs    r2, #1
        lsls    r2, r2, #23
        orrs    r0, r2
        bx      lr
2:      movs    r1, #1
3:      lsls    r0, r0, #1
        subs    r1, #1
        lsrs    r2, r0, #23
        beq     3b
        bx      lr
        .size   sf_unpack, . - sf_unpack

// sf_unpack_raw: like sf_unpack, but a subnormal stays as it is: fraction and exponent 1.
        .type sf_unpack_raw, %function
        .thumb_func
sf_unpack_raw:
        lsrs    r1, r0, #24
        lsls    r0, r0, #7
        lsrs    r0, r0, #8
        cmp     r1, #0
        beq     1f
        movs    r2, #1
        lsls    r2, r2, #23
        orrs    r0, r2
        bx      lr
1:      movs    r1, #1
        bx      lr
        .size   sf_unpack_raw, . - sf_unpack_raw

// sf_pack: rounds and packs. r0 = significand with its leading bit at bit 31, r1 = nonzero if
// there are nonzero bits below r0 (sticky), r2 = biased exponent E (any integer: the value is
// r0 * 2^(E - 127 - 31)), r3 = sign (bit 31 only). Returns the correctly rounded float in r0:
// infinity for E > 254; for E < 1 a subnormal or zero, the significand shifted right by 1 - E
// more places before rounding (the round bit and sticky bit then come from further up).
        .section .text.anne_sf_pack, "ax", %progbits
        .balign 2
        .type sf_pack, %function
        .thumb_func
sf_pack:
        cmp     r2, #0
        ble     .Lpack_sub
        cmp     r2, #254
        bgt     .Lpack_inf
        subs    r2, #1
        lsls    r2, r2, #23
        adds    r3, r2                  // sign | (E - 1) << 23
        lsls    r2, r0, #24             // the 8 bits cut off, round bit first
        lsrs    r0, r0, #8
.Lpack_round:                           // r0 = kept bits, r2 = cut bits left-aligned, r1 = sticky
        lsls    r2, r2, #1              // C = round bit
        bcc     2f
        orrs    r2, r1
        bne     1f                      // above half way
        lsls    r2, r0, #31
        beq     2f                      // a tie, already even
1:      adds    r0, #1
2:      adds    r0, r3
        bx      lr
.Lpack_inf:
        ldr     r0, =0x7f800000
        orrs    r0, r3
        bx      lr
.Lpack_sub:
        push    {r4, r5}
        negs    r2, r2
        adds    r2, #1                  // s = 1 - E >= 1 extra places
        cmp     r2, #25
        bhs     3f                      // below half the smallest subnormal: zero
        movs    r4, #24
        subs    r4, r2
        movs    r5, r0
        lsls    r5, r4                  // the bits cut off, left-aligned
        adds    r2, #8
        lsrs    r0, r2                  // kept bits (0 when 8 + s = 32)
        movs    r2, r5
        pop     {r4, r5}
        b       .Lpack_round
3:      pop     {r4, r5}
        movs    r0, r3
        bx      lr
        .ltorg
        .size   sf_pack, . - sf_pack

// =============================================================================================
// anne_f2iz: float to int32, rounding toward zero. Out of range (|x| >= 2^31, infinities, NaN)
// it returns what libgcc's __aeabi_f2iz returns: 0x7fffffff for a clear sign bit, 0x80000000
// for a set one. With s = 158 - e, |x| = (m << 8) >> s for 1 <= s <= 31; s > 31 means |x| < 1.
// =============================================================================================
        .section .text.anne_f2iz, "ax", %progbits
        .balign 2
        FUNC f2iz, f2iz
.Lf2iz:
        lsls    r1, r0, #1
        lsrs    r1, r1, #24             // e
        movs    r2, #158
        subs    r2, r1                  // s = 158 - e
        ble     2f                      // |x| >= 2^31
        cmp     r2, #31
        bhi     1f                      // |x| < 1
        lsls    r1, r0, #8
        movs    r3, #1
        lsls    r3, r3, #31
        orrs    r1, r3                  // m << 8 (hidden bit at 31)
        lsrs    r1, r2                  // |x| truncated
        asrs    r0, r0, #31             // 0 or -1
        eors    r1, r0
        subs    r0, r1, r0              // negate for a negative x
        bx      lr
1:      movs    r0, #0
        bx      lr
2:      lsrs    r0, r0, #31
        movs    r1, #1
        lsls    r1, r1, #31
        subs    r1, #1
        adds    r0, r1                  // 0x7fffffff or 0x80000000
        bx      lr
        ENDFUNC f2iz, f2iz

// anne_f2uiz: float to uint32, toward zero, returning for every input what libgcc's
// __aeabi_f2uiz returns (it computes x >= 2^31 ? f2iz(x - 2^31) + 2^31 : f2iz(x)): 2^31 <= x
// < 2^32 converts exactly, x >= 2^32 and +inf give 0xffffffff, everything else (negative
// numbers, NaN, x < 2^31) is f2iz's result read as unsigned.
        FUNC f2uiz, f2uiz
        lsrs    r1, r0, #23             // s:e
        subs    r1, #158
        cmp     r1, #98
        bhs     .Lf2iz                  // negative, or x < 2^31
        cmp     r1, #0
        bne     1f
        lsls    r0, r0, #8              // 2^31 <= x < 2^32: x = m << 8
        movs    r1, #1
        lsls    r1, r1, #31
        orrs    r0, r1
        bx      lr
1:      cmp     r1, #97
        bne     2f
        lsls    r1, r0, #9
        bne     .Lf2iz                  // NaN
2:      movs    r0, #0
        subs    r0, #1                  // 0xffffffff
        bx      lr
        ENDFUNC f2uiz, f2uiz

// =============================================================================================
// anne_i2f, anne_ui2f: int32 / uint32 to float. The magnitude is shifted left until its leading
// bit is bit 31 (a binary search for the leading 1: 16, 8, 4, 2, 1 places), counting the shifts
// n; then E = 158 - n and the low 8 bits are the round and sticky bits (integers beyond 2^24
// round, ties to even, e.g. 2^24 + 1 -> 2^24).
// =============================================================================================
        .section .text.anne_i2f, "ax", %progbits
        .balign 2
        FUNC ui2f, ui2f
        movs    r1, #0                  // sign
        cmp     r0, #0
        bne     .Li2f_norm
        bx      lr
        ENDFUNC ui2f, ui2f

        FUNC i2f, i2f
        asrs    r1, r0, #31
        eors    r0, r1
        subs    r0, r1                  // |x| (2^31 for INT32_MIN, as unsigned)
        beq     .Li2f_ret
        lsls    r1, r1, #31             // sign
.Li2f_norm:
        movs    r2, #158
        lsrs    r3, r0, #16
        bne     1f
        lsls    r0, r0, #16
        subs    r2, #16
1:      lsrs    r3, r0, #24
        bne     2f
        lsls    r0, r0, #8
        subs    r2, #8
2:      lsrs    r3, r0, #28
        bne     3f
        lsls    r0, r0, #4
        subs    r2, #4
3:      lsrs    r3, r0, #30
        bne     4f
        lsls    r0, r0, #2
        subs    r2, #2
4:      cmp     r0, #0
        blt     5f
        lsls    r0, r0, #1
        subs    r2, #1
5:      subs    r2, #1
        lsls    r2, r2, #23
        orrs    r1, r2                  // sign | (E - 1) << 23
        lsls    r3, r0, #25             // C = round bit, Z = no sticky bits
        beq     6f
        lsrs    r0, r0, #8
        adcs    r0, r1
.Li2f_ret:
        bx      lr
6:      lsrs    r0, r0, #8              // C = round bit
        bcc     7f
        lsls    r3, r0, #31             // a tie: round to even
        beq     7f
        adds    r0, #1
7:      adds    r0, r1
        bx      lr
        ENDFUNC i2f, i2f

// =============================================================================================
// Comparisons. anne_fcmp{lt,le,eq,ge,gt} return 1 if the relation holds, else 0; anne_fcmpun
// returns 1 if either operand is NaN. Any comparison with NaN is false (unordered), and -0 = +0.
// A float x is NaN iff |x| << 1 > 0xff000000 (exponent 255, fraction not 0).
//
// Order: read as two's-complement integers, two positive floats compare like their magnitudes,
// two negative ones in reverse, and for different signs the negative one is the smaller; so a
// signed compare (reversed when both are negative) orders all non-NaN operands except +0 and -0,
// which are taken care of first. NaN makes every relation false, so it needs checking only when
// the compare says "true".
// =============================================================================================
        .macro LESS ra, rb, le          // r0 = (ra < rb), or (ra <= rb) when le is 1
        movs    r2, \ra
        orrs    r2, \rb
        lsls    r2, r2, #1
        beq     .Lzeros\@               // both are +0 or -0: equal
        movs    r2, \ra
        ands    r2, \rb
        bmi     .Lneg\@
        cmp     \ra, \rb
        .if \le
        bgt     .Lfalse\@
        .else
        bge     .Lfalse\@
        .endif
        b       .Ltrue\@
.Lneg\@:                                // both negative: the larger magnitude is the smaller
        cmp     \rb, \ra
        .if \le
        bgt     .Lfalse\@
        .else
        bge     .Lfalse\@
        .endif
.Ltrue\@:                               // true, unless one of them is NaN
        movs    r3, #0xff
        lsls    r3, r3, #24
        lsls    r2, \ra, #1
        cmp     r2, r3
        bhi     .Lfalse\@
        lsls    r2, \rb, #1
        cmp     r2, r3
        bhi     .Lfalse\@
        movs    r0, #1
        bx      lr
.Lzeros\@:
        movs    r0, #\le
        bx      lr
.Lfalse\@:
        movs    r0, #0
        bx      lr
        .endm

        .section .text.anne_fcmplt, "ax", %progbits
        .balign 2
        FUNC fcmplt, fcmplt
        LESS    r0, r1, 0
        ENDFUNC fcmplt, fcmplt

        .section .text.anne_fcmple, "ax", %progbits
        .balign 2
        FUNC fcmple, fcmple
        LESS    r0, r1, 1
        ENDFUNC fcmple, fcmple

        .section .text.anne_fcmpgt, "ax", %progbits
        .balign 2
        FUNC fcmpgt, fcmpgt
        LESS    r1, r0, 0
        ENDFUNC fcmpgt, fcmpgt

        .section .text.anne_fcmpge, "ax", %progbits
        .balign 2
        FUNC fcmpge, fcmpge
        LESS    r1, r0, 1
        ENDFUNC fcmpge, fcmpge

// Equal bit patterns are equal unless NaN; different ones only if both are zeros.
        .section .text.anne_fcmpeq, "ax", %progbits
        .balign 2
        FUNC fcmpeq, fcmpeq
        cmp     r0, r1
        bne     1f
        lsls    r0, r0, #1
        movs    r1, #0xff
        lsls    r1, r1, #24
        cmp     r0, r1
        bhi     2f                      // NaN
        movs    r0, #1
        bx      lr
1:      orrs    r0, r1
        lsls    r0, r0, #1
        beq     3f                      // +0 and -0
2:      movs    r0, #0
        bx      lr
3:      movs    r0, #1
        bx      lr
        ENDFUNC fcmpeq, fcmpeq

        .section .text.anne_fcmpun, "ax", %progbits
        .balign 2
        FUNC fcmpun, fcmpun
        movs    r2, #0xff
        lsls    r2, r2, #24
        lsls    r0, r0, #1
        cmp     r0, r2
        bhi     1f
        lsls    r1, r1, #1
        cmp     r1, r2
        bhi     1f
        movs    r0, #0
        bx      lr
1:      movs    r0, #1
        bx      lr
        ENDFUNC fcmpun, fcmpun

// The three-way classification of the flag-returning comparisons below.
// NaN test: |x| << 1 > 0xff000000, i.e. adding 2^24 carries out and leaves a nonzero word.
        .macro CLASSIFY                 // r0 = a, r1 = b -> r3 = 0 (a < b), 1 (=), 2 (>), 3 (NaN)
        movs    r3, #1
        lsls    r3, r3, #24
        lsls    r2, r0, #1
        adds    r2, r3
        bhi     .Lcls_un\@
        lsls    r2, r1, #1
        adds    r2, r3
        bhi     .Lcls_un\@
        lsls    r2, r0, #1
        lsls    r3, r1, #1
        orrs    r2, r3
        beq     .Lcls_eq\@              // +0 and -0
        movs    r2, r0
        ands    r2, r1
        bmi     .Lcls_neg\@
        cmp     r0, r1
        b       .Lcls_pick\@
.Lcls_neg\@:
        cmp     r1, r0
.Lcls_pick\@:
        blt     .Lcls_lt\@
        beq     .Lcls_eq\@
        movs    r3, #2
        b       .Lcls_done\@
.Lcls_lt\@:
        movs    r3, #0
        b       .Lcls_done\@
.Lcls_eq\@:
        movs    r3, #1
        b       .Lcls_done\@
.Lcls_un\@:
        movs    r3, #3
.Lcls_done\@:
        .endm

// anne_cfcmple, anne_cfcmpeq: the flag-setting three-way comparison of the AEABI. Z is set only
// if a = b, C is clear only if a < b (NaN: Z clear, C set); all of r0-r3 are kept.
// anne_cfrcmple compares b with a.
        .section .text.anne_cfcmp, "ax", %progbits
        .balign 2
        FUNC cfrcmple, cfrcmple
        push    {r0-r3, lr}
        movs    r2, r0
        movs    r0, r1
        movs    r1, r2
        b       .Lcfcmp
        ENDFUNC cfrcmple, cfrcmple
        FUNC cfcmpeq, cfcmpeq           // (no exceptions to tell apart here: the same code)
        FUNC cfcmple, cfcmple
        push    {r0-r3, lr}
.Lcfcmp:
        CLASSIFY
        cmp     r3, #1                  // less: 0 - 1 borrows (C = 0, Z = 0); equal: Z = 1, C = 1;
        pop     {r0-r3, pc}             // greater, unordered: C = 1, Z = 0
        ENDFUNC cfcmple, cfcmple
        ENDFUNC cfcmpeq, cfcmpeq
