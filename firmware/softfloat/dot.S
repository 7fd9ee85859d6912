// SPDX-License-Identifier: MIT
//
// anne_fdot: the dot product of two float vectors for ARMv6-M (Cortex-M0/M0+, the RP2040), in
// Thumb-1 assembly, with exactly the bits of the plain C loop
//
//     float sum = 0.0f;
//     for (i = 0; i < n; ++i) sum += w[i] * x[i];
//
// in IEEE-754 binary32, round to nearest, ties to even: each product rounded to a float, then
// each sum rounded to a float, in index order (two roundings per term, not a fused
// multiply-add). It is that loop with anne_fmul and anne_fadd (float.S) fused: the running sum
// stays unpacked in registers from one term to the next, the product is never packed, and the
// common cases of the addition run as straight-line code. firmware/softfloat/check.cpp compares
// it with the C loop on libgcc's arithmetic.
//
//     float anne_fdot(const float* w, const float* x, uint32_t n);   (AAPCS: r0, r1, r2 -> r0)
//
// ---------------------------------------------------------------------------------------------
// The state between terms
//
// A normal sum s = (-1)^sign * m * 2^(e - 150) (24-bit significand m, biased exponent e; see
// float.S for the format) is kept as
//     A  = m << 7       in [2^30, 2^31]    (r2)
//     eJ = e + 126                         (r12)
//     sign                                 (which of two copies of the loop runs)
// The 7 zero bits below m leave room for the round bit and the sticky bits of the next sum.
// A = 2^31 (m = 2^24, "unnormalized") is allowed: it is what a rounding that carries out of 24
// bits gives, and it is the same value as m = 2^23 one binade up. Every step below works on the
// value, so it needs no normalization step. The fast mode keeps e in [1, 253], so the sum is
// normal and below 2^128 even when unnormalized.
//
// The sum +0, where the loop starts, has a loop of its own (.Lzloop): the first nonzero product
// p gives the sum 0 + p = p exactly. Signed zeros need no more care: +0 + (+-0) = +0, and a sum
// of two nonzero floats is zero only by exact cancellation, which gives +0 when rounding to
// nearest (a sum that underflows is exact, never rounded to zero). So the sum is never -0, and a
// term whose product is +-0 (a ReLU output times a finite weight) leaves the sum as it is.
//
// Anything else - a subnormal, infinite or NaN operand, operands so small or large that the
// product could leave the normal range, a sum that leaves [1, 253] or becomes subnormal - goes to
// the packed mode: that term is anne_fadd(sum, anne_fmul(w_i, x_i)) on the packed sum, exactly
// the C loop, and the loop returns to the fast mode as soon as the sum qualifies again.
//
// ---------------------------------------------------------------------------------------------
// One term (a = w_i, b = x_i)
//
// 1. Both exponents must be in [64, 191] (|a|, |b| in [2^-63, 2^65)); as in anne_fmul, (|a| << 1)
//    doubled overflows (V) exactly then. Then E2 = e_a + e_b is in [128, 382] and the product is
//    normal, with exponent E2 - 127 if P = m_a * m_b < 2^47 (below: "46") and E2 - 126 if not
//    ("47", the more common case: 2 - 2 ln 2 = 61% of uniform significands).
// 2. d = eJ - E2 = e - (E2 - 126): the product's exponent is e - d - 1 ("46") or e - d ("47").
//    For d >= 0 it is at most e, and the result has the sum's sign and, before normalization,
//    its exponent; SUBS tells that in its carry flag. d < 0 is the other way round (.Lbs, .Lbd).
// 3. The product: Q = P >> 16 from three MULS, as in anne_fmul, rounded to nearest even to its
//    24-bit significand M_p. In A's layout at the sum's exponent e it is (M_p << 7) >> (d + 1)
//    ("46") or (M_p << 7) >> d ("47"), so the rounding leaves Bp = M_p << 6 or M_p << 7, and
//    in both cases the aligned product is B = Bp >> d.
// 4. B = Bp >> d: d <= 379 - 128 < 256, all that a register shift reads, and shifts of 32 or
//    more give 0. Bp has at least 6 zero bits at the bottom, so bits of Bp are lost only for
//    d > 6.
// 5. Same signs: S = A + B; S >= 2^31 is one binade up (significand S[31:8], round bit S[7]),
//    else the significand is S[30:7] with round bit S[6]. Different signs: S = A - B, which is
//    >= 0 except when a "47" product at d = 0 is the larger (then the sign flips, exactly);
//    S < 2^30 lost leading bits and is normalized: one bit is common; more happen only when
//    nothing was shifted out (d = 0), so then S is exact.
// 6. Rounding S: with the round bit and the bits below it (sticky), the correctly rounded
//    significand is S rounded half up - S + 64, then bits 6..0 cleared - unless the sticky bits
//    in S are all 0 and the round bit 1: exactly half way (a tie, to even: S + 64 with bits 7..0
//    cleared: if the kept part K is even, K + 1 is odd and loses its last bit, if K is odd,
//    K + 1 is even and stays), unless bits were lost in step 4: they put the true value a hair
//    above S (a sum: round up) or below it (a difference: down). Only these rare ties look the
//    product up again (.Lrelost). (An exact S needs no such look: a hair above or below it still
//    rounds to S.)
// ---------------------------------------------------------------------------------------------

        .syntax unified
        .cpu cortex-m0plus
        .thumb

// Registers in the fast mode:
//   r0 = w + i + 1 (one past the term being added), r1 = x + i + 1, r2 = A, r3 = d and scratch,
//   r4..r7 scratch, r8 = 2^23 (saved and restored), r12 = eJ, lr = w + n (the end).

// CHECK_E2 spec, e2: r4 = a, r5 = b -> e2 = E2 = e_a + e_b, or to `spec` if an exponent is outside
// [64, 191]. Clobbers r3, r6, r7.
        .macro CHECK_E2 spec, e2
        lsls    r6, r4, #1
        adds    r7, r6, r6
        bvc     \spec
        lsls    r7, r5, #1
        adds    r3, r7, r7
        bvc     \spec
        lsrs    r6, r6, #24
        lsrs    r7, r7, #24
        adds    \e2, r6, r7
        .endm

// SIGNIFICAND_A: r4 = a -> r7 = m_a = 2^23 + its fraction. Clobbers the flags.
        .macro SIGNIFICAND_A
        lsls    r7, r4, #9
        lsrs    r7, r7, #9
        add     r7, r8
        .endm

// MULTIPLY: r7 = m_a, r5 = b -> r7 = Q = P >> 16, r4 = a0 * b0 (its low half is P[15:0], the rest
// of the sticky information); N = P bit 47. Clobbers r5, r6. With m_a = a1 * 2^16 + a0 and
// m_b = b1 * 2^16 + b0 (a1, b1 < 2^8), Q = m_a * b1 + a1 * b0 + (a0 * b0 >> 16), every product
// within 32 bits (see anne_fmul).
        .macro MULTIPLY
        lsls    r6, r5, #9
        lsrs    r6, r6, #25
        adds    r6, #128                // b1
        muls    r6, r7                  // m_a * b1
        uxth    r4, r7                  // a0
        lsrs    r7, r7, #16             // a1
        uxth    r5, r5                  // b0
        muls    r7, r5                  // a1 * b0
        adds    r7, r6
        muls    r4, r5                  // a0 * b0
        lsrs    r6, r4, #16
        adds    r7, r6                  // Q
        .endm

// ROUND46 tag, up: r7 = Q < 2^31 (significand Q[30:7], round bit Q[6], sticky Q[5:0] and
// P[15:0]) -> r7 = Bp = M_p << up, the product rounded to nearest even (up = 6 in the main paths,
// 7 where the product keeps its own exponent). The rounding may carry to M_p = 2^24.
// ROUND47 tag: r7 = Q >= 2^31 (significand Q[31:8], round bit Q[7], sticky Q[6:0] and P[15:0])
// -> r7 = Bp = M_p << 7. Here the rounding never carries out: m_a, m_b <= 2^24 - 1 give
// P <= 2^48 - 2^25 + 1, so Q <= 2^32 - 512, Q + 128 < 2^32 and M_p <= 2^24 - 2.
// r6 is scratch. Each has its tie path (emitted out of line by the _TIE macro), entered when all
// bits of Q below the round bit are zero: with round bit 0 the half-up code truncates; with round
// bit 1 and P[15:0] != 0 it is above half and rounds up; else it is half way: to even.
        .macro ROUND46 tag, up
        lsls    r6, r7, #26             // C = round bit, Z = the rest of Q is zero
        beq     .Lpt\tag
.Lpr\tag:
        adds    r7, #64
        lsrs    r7, r7, #7
        lsls    r7, r7, #\up
.Lpd\tag:
        .endm
        .macro ROUND46_TIE tag, up
.Lpt\tag:
        bcc     .Lpr\tag
        lsls    r6, r4, #16
        bne     .Lpr\tag
        adds    r7, #64
        lsrs    r7, r7, #8
        lsls    r7, r7, #(\up + 1)
        b       .Lpd\tag
        .endm

        .macro ROUND47 tag
        lsls    r6, r7, #25
        beq     .Lpt\tag
.Lpr\tag:
        adds    r7, #128
        lsrs    r7, r7, #8
        lsls    r7, r7, #7
.Lpd\tag:
        .endm
        .macro ROUND47_TIE tag
.Lpt\tag:
        bcc     .Lpr\tag
        lsls    r6, r4, #16
        bne     .Lpr\tag
        adds    r7, #128
        lsrs    r7, r7, #9
        lsls    r7, r7, #8
        b       .Lpd\tag
        .endm

// RELOST: were bits of the product lost when it was shifted right by d (step 4)? Asked only in a
// tie with d > 6. Sets Z if nothing was lost.
        .macro RELOST
        mov     r4, lr
        bl      .Lrelost
        mov     lr, r4
        cmp     r5, #0
        .endm

// ROUND_S tie: rounds S = r2 (< 2^31) at bit 6 into A's layout: S + 64, then bits 6..0 cleared
// (half up), unless (S + 64)[6:0] = 0, i.e. S[6:0] = 64: half way, unless lost bits decide; then
// to `tie` with r2 = S + 64 (to even from there: clear bits 7..0). Clobbers r6.
        .macro ROUND_S tie
        adds    r2, #64
        lsls    r6, r2, #25
        beq     \tie
        lsrs    r2, r2, #7
        lsls    r2, r2, #7
        .endm

// PACK sg, to: to = the fast-mode sum as a float word: sign | (e - 1) << 23 plus m = A >> 7, whose
// hidden bit adds the missing 1 to the exponent field (an unnormalized m = 2^24 adds 2: the next
// binade, as it should). (e - 1 + 256 sg) << 23 = (eJ - 127 + 256 sg) << 23 also sets the sign.
// Clobbers r2, r6.
        .macro PACK sg, to
        mov     r6, r12
        .if \sg
        adds    r6, #129
        .else
        subs    r6, #127
        .endif
        lsls    r6, r6, #23
        lsrs    r2, r2, #7
        adds    \to, r2, r6
        .endm

// The fast loop for a sum of sign sg (0: positive, 1: negative); og = 1 - sg. Layout, as
// conditional branches reach only 256 bytes: the rare paths of same-signed terms, the "46"
// same-sign path, the special operands, the exit, the "47" same-sign path, which falls into the
// loop head, which falls into the different-sign paths, their ties, the d < 0 paths, and the
// other rare paths of different signs.
        .macro FAST sg, og

// ---- Same signs: the rare paths.
        ROUND47_TIE S\sg
        ROUND46_TIE s\sg, 6

// S[6:0] = 64 (r2 = S + 64): half way, to even; unless bits were lost (then above half: up).
.Lstie\sg:
        cmp     r3, #6
        bls     .Lseven\sg
        RELOST
        beq     .Lseven\sg
        lsrs    r2, r2, #7
        lsls    r2, r2, #7
        b       .Lnext\sg
.Lseven\sg:
        lsrs    r2, r2, #8
        lsls    r2, r2, #8
        b       .Lnext\sg

// S >= 2^31: the sum went one binade up. Round S[31:8] at S[7]; S >> 1 puts it in A's layout
// (the bit shifted out is part of the sticky test, done first). The exponent goes up
// afterwards (RELOST needs the old one); e = 254 leaves the fast mode.
.Lcarry\sg:
        lsls    r6, r2, #25             // C = S[7], Z = S[6:0] == 0
        beq     .Lctie\sg
        lsrs    r2, r2, #1
        adds    r2, #64
        lsrs    r2, r2, #7
        lsls    r2, r2, #7
.Lcinc\sg:
        mov     r6, r12
        adds    r6, #1
        mov     r12, r6
        subs    r6, #254
        cmp     r6, #125                // eJ <= 379: e <= 253
        ble     .Lnext\sg
        PACK    \sg, r2
        b       .Lpacked
.Lctie\sg:
        bcc     .Lctrunc\sg             // round bit 0: S (lost bits cannot reach half)
        cmp     r3, #6
        bls     .Lceven\sg              // nothing lost: a tie
        RELOST
        beq     .Lceven\sg
        lsrs    r2, r2, #1              // lost bits: above half
        adds    r2, #64
        lsrs    r2, r2, #7
        lsls    r2, r2, #7
        b       .Lcinc\sg
.Lceven\sg:
        lsrs    r2, r2, #1
        adds    r2, #64
        lsrs    r2, r2, #8
        lsls    r2, r2, #8
        b       .Lcinc\sg
.Lctrunc\sg:
        lsrs    r2, r2, #1
        b       .Lcinc\sg

// ---- Same signs, a "46" product.
.Lsame46\sg:
        ROUND46 s\sg, 6
        lsrs    r7, r3
        adds    r2, r7
        bmi     .Lcarry\sg
        ROUND_S .Lstie\sg
        cmp     r0, lr
        bne     .Lloop\sg
        b       .Lexit\sg

// An operand outside [64, 191]. If one is +-0 and the other finite, the product is +-0 and the
// term changes nothing; anything else is computed in the packed mode.
.Lspec\sg:
        lsls    r7, r5, #1
        bne     1f
        lsls    r6, r4, #1              // b = +-0: is a finite?
        lsrs    r6, r6, #24
        cmp     r6, #255
        bne     .Lnext\sg
2:      b       .Lgeneric\sg
1:      lsls    r6, r4, #1
        bne     2b
        lsrs    r7, r7, #24             // a = +-0: is b finite?
        cmp     r7, #255
        bne     .Lnext\sg
        b       .Lgeneric\sg

.Lexit\sg:
        PACK    \sg, r0
        pop     {r3}
        mov     r8, r3
        pop     {r4-r7, pc}

// ---- Same signs (entered from the loop head below, with C = d >= 0); a "47" product falls into
// the next term.
.Lsame\sg:
        bcc     .Lbs\sg
        MULTIPLY
        bpl     .Lsame46\sg
        ROUND47 S\sg
        lsrs    r7, r3                  // B
        adds    r2, r7                  // S = A + B
        bmi     .Lcarry\sg
        ROUND_S .Lstie\sg
.Lnext\sg:
        cmp     r0, lr
        beq     .Lexit\sg

// ---- The loop head.
.Lloop\sg:
        ldm     r0!, {r4}               // a = w_i
        ldm     r1!, {r5}               // b = x_i
        CHECK_E2 .Lspec\sg, r6
        SIGNIFICAND_A
        mov     r3, r12
        subs    r3, r6                  // d = eJ - E2; C = d >= 0
        eors    r4, r5                  // N = the sign of the product (C stays)
        .if \sg
        bmi     .Lsame\sg
        .else
        bpl     .Lsame\sg
        .endif

// ---- Different signs.
        bcc     .Lbd\sg
        MULTIPLY
        bpl     .Ldiff46\sg
        ROUND47 D\sg
        lsrs    r7, r3
        subs    r2, r7                  // S = A - B
        bcc     .Ldneg\sg               // < 0: d = 0 and the product was the larger
        lsrs    r6, r2, #30
        beq     .Ldnorm_near\sg         // S < 2^30: leading bits cancelled
        ROUND_S .Ldtie_near\sg
        cmp     r0, lr
        bne     .Lloop\sg
        b       .Lexit\sg
.Ldiff46\sg:
        ROUND46 d\sg, 6
        lsrs    r7, r3
        subs    r2, r7                  // S = A - B >= 0 (B <= 2^30 <= A)
.Ldiffnorm\sg:                          // r2 = S >= 0
        lsrs    r6, r2, #30
        beq     .Ldnorm_near\sg
        ROUND_S .Ldtie_near\sg
        cmp     r0, lr
        bne     .Lloop\sg
        b       .Lexit\sg
.Ldneg\sg:
        negs    r2, r2                  // exact; the sign flips
        b       .Ldiffnorm_t\og
.Ldnorm_near\sg:
        b       .Ldnorm\sg
.Ldtie_near\sg:
        b       .Ldtie\sg

        ROUND47_TIE D\sg
        ROUND46_TIE d\sg, 6

// ---- d < 0: the product's exponent E2 - 127 or E2 - 126 is at least e. It is rounded into
// Bp = M_p << 7 at its own exponent, which becomes the result's: eJ goes up by d' = -d - 1 or
// -d, to E2 - 1 or E2 (so e <= 253, as E2 <= 379 is checked first). The sum is the smaller
// operand now: A >> d'. For d' = 0 and different signs the larger significand decides the
// sign.
// Bits of A lost in the shift (only for d' > 6: A's bits 6..0 are 0) are "jammed" into bit 0
// (made 1 if any was 1): the true A >> d' and the jammed one then lie strictly between the same
// two even integers, and so do the two sums or differences; every rounding boundary of the
// result (after at most one bit of normalization, all that can follow a shift of 7 or more) is
// an even integer, so both round alike. A jammed S is odd, so it never looks half way; without a
// jam r3 = d' <= 6 or r3 = 0 tells the tie paths that nothing was lost.
.Lbs\sg:
        lsrs    r6, r6, #2
        cmp     r6, #95
        bhs     .Lgeneric_near\sg       // E2 >= 380
        MULTIPLY
        bpl     .Lbs46\sg
        ROUND47 bS\sg
        negs    r3, r3                  // d' = -d
.Lbsalign\sg:
        add     r12, r3                 // the product's exponent
        cmp     r3, #6
        bhi     .Lbsjam\sg
        lsrs    r2, r3                  // A >> d'
.Lbsadd\sg:
        adds    r2, r7
        bcs     .Lbs2x\sg               // 2^31 + 2^31 (see below)
        bmi     .Lcarry_near\sg
        ROUND_S .Lstie_near\sg
        b       .Lnext\sg
.Lbs46\sg:
        ROUND46 bs\sg, 7
        mvns    r3, r3                  // d' = -d - 1
        b       .Lbsalign\sg
.Lbsjam\sg:
        movs    r6, r2
        lsrs    r2, r3
        movs    r5, r2
        lsls    r5, r3
        movs    r3, #0
        cmp     r5, r6                  // were bits of A lost?
        beq     .Lbsadd\sg
        movs    r5, #1
        orrs    r2, r5
        b       .Lbsadd\sg
.Lcarry_near\sg:
        b       .Lcarry\sg
.Lstie_near\sg:
        b       .Lstie\sg
.Lgeneric_near\sg:
        b       .Lgeneric\sg

.Lbd\sg:
        lsrs    r6, r6, #2
        cmp     r6, #95
        bhs     .Lgeneric_near\sg
        MULTIPLY
        bpl     .Lbd46\sg
        ROUND47 bD\sg
        negs    r3, r3                  // d' = -d >= 1
.Lbdalign\sg:
        add     r12, r3
        cmp     r3, #6
        bhi     .Lbdjam\sg
        lsrs    r2, r3
.Lbdsub\sg:
        subs    r2, r7, r2              // S = Bp - (A >> d') >= 0, with the product's sign
        b       .Ldiffnorm_t\og
.Lbd46\sg:
        ROUND46 bd\sg, 7
        mvns    r3, r3
        bne     .Lbdalign\sg
        cmp     r2, r7                  // d' = 0: the same binade
        bhs     1f
        subs    r2, r7, r2
        b       .Ldiffnorm_t\og
1:      subs    r2, r7
        b       .Ldiffnorm\sg
.Lbdjam\sg:
        movs    r6, r2
        lsrs    r2, r3
        movs    r5, r2
        lsls    r5, r3
        movs    r3, #0
        cmp     r5, r6
        beq     .Lbdsub\sg
        movs    r5, #1
        orrs    r2, r5
        b       .Lbdsub\sg

// A sum out of 32 bits: d' = 0 and both A and Bp were 2^31 (an unnormalized sum, and a "46"
// product rounded up to 2^24). Then S = 2^32 exactly: A = 2^31 one binade up.
.Lbs2x\sg:
        movs    r2, #1
        lsls    r2, r2, #31
        b       .Lcinc\sg

// S[6:0] = 64 (r2 = S + 64): half way, to even; lost bits put the true value a hair below S:
// below half, down (S - 64 = r2 - 128, whose bits 6..0 are 0).
.Ldtie\sg:
        cmp     r3, #6
        bls     .Ldeven\sg
        RELOST
        beq     .Ldeven\sg
        subs    r2, #128
        b       .Lnext\sg
.Ldeven\sg:
        lsrs    r2, r2, #8
        lsls    r2, r2, #8
        b       .Lnext\sg

        ROUND47_TIE bS\sg
        ROUND46_TIE bs\sg, 7
        ROUND47_TIE bD\sg
        ROUND46_TIE bd\sg, 7

// ---- Different signs, S < 2^30. One bit lost (S >= 2^29): 2S is rounded like S above, and the
// exponent goes one down (after the rounding, which RELOST decides with the old exponent). At
// e = 1 the result is subnormal and exact (a difference that small cannot have lost bits).
.Ldnorm\sg:
        lsrs    r6, r2, #29
        beq     .Lmassive\sg
        mov     r6, r12
        cmp     r6, #127
        beq     .Lsubnormal\sg
        lsls    r2, r2, #1
        ROUND_S .Ldntie\sg
.Ldndec\sg:
        mov     r6, r12
        subs    r6, #1
        mov     r12, r6
        b       .Lnext\sg
.Ldntie\sg:
        cmp     r3, #6
        bls     .Ldneven\sg
        RELOST
        beq     .Ldneven\sg
        subs    r2, #128
        b       .Ldndec\sg
.Ldneven\sg:
        lsrs    r2, r2, #8
        lsls    r2, r2, #8
        b       .Ldndec\sg

// Two or more leading bits cancelled: then nothing was shifted out, S is exact and only needs
// normalizing, down to e = 1 (below that the result is subnormal, still exact); or it is zero:
// x - x = +0.
.Lmassive\sg:
        cmp     r2, #0
        beq     .Lzero_near\sg
        mov     r6, r12
1:      cmp     r6, #127
        beq     .Lsubnormal\sg
        lsls    r2, r2, #1
        subs    r6, #1
        lsrs    r7, r2, #30
        beq     1b
        mov     r12, r6
        b       .Lnext\sg
.Lzero_near\sg:
        b       .Lznext_t
.Lsubnormal\sg:                         // r2 = S < 2^30 at e = 1: the subnormal S >> 7
        lsrs    r2, r2, #7
        .if \sg
        movs    r6, #1
        lsls    r6, r6, #31
        orrs    r2, r6
        .endif
        b       .Lpacked

// This term in the packed mode.
.Lgeneric\sg:
        PACK    \sg, r2
        b       .Lgeneric
        .endm

        .section .text.anne_fdot, "ax", %progbits
        .balign 4
        .global anne_fdot
        .type anne_fdot, %function
        .thumb_func
anne_fdot:
        mov     r3, r8
        push    {r3-r7, lr}             // r8 is saved in r3's place
        lsls    r2, r2, #2
        adds    r2, r0
        mov     lr, r2                  // the end of w
        movs    r3, #1
        lsls    r3, r3, #23
        mov     r8, r3

// ---- The sum is +0: the first nonzero product is the sum, exactly. It is rounded into A's layout
// at its own exponent (Bp = M_p << 7), which becomes the sum's: eJ = E2 - 1 ("46") or E2 ("47"),
// so E2 <= 379 keeps e <= 253.
.Lznext:
        cmp     r0, lr
        beq     .Lzexit
.Lzloop:
        ldm     r0!, {r4}
        ldm     r1!, {r5}
        CHECK_E2 .Lzspec, r2            // E2
        lsrs    r6, r2, #2
        cmp     r6, #95
        bhs     .Lzgeneric              // E2 >= 380
        SIGNIFICAND_A
        eors    r4, r5
        bmi     .Lzneg
        MULTIPLY
        bpl     .Lzp46
        ROUND47 zP
        mov     r12, r2                 // eJ = E2: e = E2 - 126
        movs    r2, r7
        b       .Lnext0
.Lzp46:
        ROUND46 zp, 7
        subs    r2, #1
        mov     r12, r2                 // eJ = E2 - 1: e = E2 - 127
        movs    r2, r7
        b       .Lnext0
.Lzneg:
        MULTIPLY
        bpl     .Lzn46
        ROUND47 zN
        mov     r12, r2
        movs    r2, r7
        b       .Lnext1
.Lzn46:
        ROUND46 zn, 7
        subs    r2, #1
        mov     r12, r2
        movs    r2, r7
        b       .Lnext1
        ROUND47_TIE zP
        ROUND46_TIE zp, 7
        ROUND47_TIE zN
        ROUND46_TIE zn, 7

// A term whose product is +-0 leaves the sum +0; other special operands go to the packed mode.
.Lzspec:
        lsls    r7, r5, #1
        bne     1f
        lsls    r6, r4, #1              // b = +-0: is a finite?
        lsrs    r6, r6, #24
        cmp     r6, #255
        bne     .Lznext
        b       .Lzgeneric
1:      lsls    r6, r4, #1
        bne     .Lzgeneric
        lsrs    r7, r7, #24             // a = +-0: is b finite?
        cmp     r7, #255
        bne     .Lznext
.Lzgeneric:
        movs    r2, #0
        b       .Lgeneric
.Lzexit:
        movs    r0, #0
.Lreturn:
        pop     {r3}
        mov     r8, r3
        pop     {r4-r7, pc}

        FAST    0, 1

// ---- Between the two copies of the loop, within reach of both: the way between them (a sign
// change), back to the zero sum, and the packed mode.
.Ldiffnorm_t0:
        b       .Ldiffnorm0
.Ldiffnorm_t1:
        b       .Ldiffnorm1
.Lznext_t:
        b       .Lznext

// The packed mode: r2 = the sum as a float word. Each term is anne_fadd(sum, anne_fmul(a, b)).
.Lpacked:
        cmp     r0, lr
        beq     .Lpacked_end
        ldm     r0!, {r4}
        ldm     r1!, {r5}
        b       .Lgeneric_ab
.Lpacked_end:
        movs    r0, r2
        b       .Lreturn

// The current term (loaded again from w - 1, x - 1: the pointers have moved on) added to the
// packed sum r2 by anne_fmul and anne_fadd; then the result decides the mode.
.Lgeneric:
        subs    r4, r0, #4
        ldr     r4, [r4]
        subs    r5, r1, #4
        ldr     r5, [r5]
.Lgeneric_ab:
        mov     r3, lr
        push    {r0-r3}
        movs    r0, r4
        movs    r1, r5
        bl      anne_fmul
        movs    r1, r0
        ldr     r0, [sp, #8]
        bl      anne_fadd
        movs    r2, r0
        pop     {r0, r1, r3, r4}
        mov     lr, r4
// r2 = the sum as a float word: back to a fast mode if it is +0 or normal with e <= 253.
        lsls    r6, r2, #1
        beq     .Ldzero
        lsrs    r6, r6, #24
        beq     .Lpacked
        cmp     r6, #254
        bhs     .Lpacked
        adds    r6, #126
        mov     r12, r6                 // eJ = e + 126
        movs    r6, #1
        lsls    r6, r6, #31
        lsls    r3, r2, #8
        orrs    r3, r6
        lsrs    r3, r3, #1              // A = m << 7
        cmp     r2, #0
        mov     r2, r3
        blt     1f
        b       .Lnext0
1:      b       .Lnext1
.Ldzero:
        cmp     r2, #0
        bne     .Lpacked                // -0 (cannot happen, see above): stay packed
        b       .Lznext

// .Lrelost: r5 = 1 if the current term's product (computed again by anne_fmul from w - 1, x - 1)
// has nonzero bits below A's bit 0 at the sum's exponent, else 0. The product
// p = M_p * 2^(e_p - 150) is a multiple of A's unit 2^(e - 157) iff M_p has no 1 below bit
// s = e - e_p - 7 = eJ - 133 - e_p. Keeps r0-r4 and r12; the caller keeps lr in r4.
.Lrelost:
        push    {r0-r4, lr}
        mov     r4, r12
        push    {r4}
        subs    r0, #4
        ldr     r0, [r0]
        subs    r1, #4
        ldr     r1, [r1]
        bl      anne_fmul
        pop     {r4}
        mov     r12, r4
        lsls    r1, r0, #1
        lsrs    r1, r1, #24             // e_p
        subs    r4, #133
        subs    r4, r1                  // s
        movs    r5, #0
        cmp     r4, #0
        ble     1f
        movs    r5, #1
        cmp     r4, #24
        bge     1f
        movs    r1, #32
        subs    r1, r4
        lsls    r0, r1                  // the bits of M_p below bit s
        bne     1f
        movs    r5, #0
1:      pop     {r0-r4, pc}

        FAST    1, 0
        .size   anne_fdot, . - anne_fdot
