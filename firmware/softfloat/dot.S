// SPDX-License-Identifier: MIT
//
// anne_dense and anne_fdot: the dense layers' sums of products for ARMv6-M (Cortex-M0/M0+, the
// RP2040), in Thumb-1 assembly, with exactly the bits of the plain C loops
//
//     float sum = 0.0f;                                   anne_fdot(w, x, n)
//     for (i = 0; i < n; ++i) sum += w[i] * x[i];
//     z[j] = bias != nullptr ? sum + bias[j] : sum;       anne_dense: for each neuron j
//
// in IEEE-754 binary32, round to nearest, ties to even: each product rounded to a float, then
// each sum rounded to a float, in index order (two roundings per term, not a fused
// multiply-add). It is that loop with anne_fmul and anne_fadd (float.S) fused for the common
// case: the running sum stays unpacked in registers from one term to the next and the product is
// never packed. One loop does every common term; anything else is computed by anne_fmul and
// anne_fadd themselves, so this file only has to get the common case right. (An earlier version
// had a copy of the loop per sign of the sum and inline code for the rare cases: faster for long
// sums, five times the flash.) firmware/softfloat/check.cpp compares both entry points with the
// C loops on libgcc's arithmetic.
//
//     void anne_dense(const anne::Layer& layer, const float* x, float* z);   (r0, r1, r2)
//     float anne_fdot(const float* w, const float* x, uint32_t n);          (r0, r1, r2 -> r0)
//
// ---------------------------------------------------------------------------------------------
// The state between terms (the "fast mode")
//
// A normal sum s = (-1)^sign * m * 2^(e - 150) (24-bit significand m, biased exponent e; see
// float.S for the format) is kept as
//     A = m << 7 in [2^30, 2^31]   (r2)       e - 1 in [0, 252]   (r12)       256 * sign   (r9)
// The 7 zero bits below m leave room for the round bit and the sticky bits of the next sum.
// A = 2^31 (m = 2^24, "unnormalized") is allowed: it is what a rounding that carries out of 24
// bits gives, the same value as m = 2^23 one binade up; every step below works on the value.
// Only bit 8 of r9 counts (a sign change adds 256). Each neuron starts with the sum +0: A = 0,
// e - 1 = 0, packed as the word 0. The sum is never -0: +0 + (+-0) = +0, and a sum of two
// nonzero floats is zero only by exact cancellation, which gives +0 when rounding to nearest. So
// a term whose product is +-0 (a ReLU output times a finite weight) leaves the sum as it is.
//
// Anything else - a zero weight, a subnormal, infinite or NaN operand, operands so small or large
// that the product could leave the normal range, a product whose bits below its round bit are
// all zero (exact, or half way), a sum that leaves e in [1, 253], a difference that turns
// negative or cancels two leading bits or more, a rounding whose direction depends on bits the
// fast path did not keep - goes to the packed mode for the rest of the neuron: each term is
// anne_fadd(sum, anne_fmul(w_i, x_i)) on the packed sum, exactly the C loop. The fast path
// changes the state only at the end of a term, so the packed mode starts from the sum before the
// term. The bias is added by anne_fadd too.
//
// ---------------------------------------------------------------------------------------------
// One term (a = w_i, b = x_i) in the fast mode
//
// 1. Both exponents must be in [64, 191] (|a|, |b| in [2^-63, 2^65)): (|a| << 1) doubled
//    overflows (V) exactly then, as in anne_fmul. E2 = e_a + e_b is in [128, 382], and the
//    product P = m_a * m_b in [2^46, 2^48) is a normal number with exponent e_p = E2 - 126 if
//    P >= 2^47, E2 - 127 if not. One register holds (s_a:e_a) + (s_b:e_b) + 256 * sign - 127:
//    its low byte is E2 - 127 (at most 255, so nothing carries into bit 8) and its bit 8 tells
//    whether the signs of the sum and the product differ.
// 2. Q = P >> 16 from three MULS, as in anne_fmul; for P < 2^47 it is doubled (and the low byte,
//    at least 1, lowered: e_p - 1 either way), so its leading bit is bit 31. The product is Q
//    rounded at bit 7 (sticky: Q's bits below and P's low 16 bits), in A's layout:
//    Bp = M_p << 7 in [2^30, 2^31]. When Q[6:0] = 0, P[15:0] would have to decide: packed mode.
// 3. d = e - e_p. For d >= 0 the product is aligned to the sum, B = Bp >> d, and the result
//    starts with the sum's exponent and sign; for d < 0 the sum is aligned to the product,
//    A >> -d, and the result starts with the product's exponent and sign (for the sum +0 it is
//    the product: Bp, exactly). Shifts of 32 or more give 0 (d is at most 255 in size, all that a
//    register shift reads). Either way the one with the larger exponent, X, has the other, Y,
//    added to or subtracted from it: S = X +- Y. Y has 7 zero bits at the bottom, so bits of it
//    are lost only for a shift of 8 or more.
// 4. A sum S >= 2^31 went one binade up: it is halved, and a 1 shifted out counts as a lost bit
//    (below). A difference in [2^29, 2^30) lost one leading bit and is doubled. Then S is in
//    [2^30, 2^31) and rounded at bit 6 like anne_fadd: S + 64 with bits 6..0 cleared (half up),
//    unless S[5:0] = 0: with S[6] = 0 it is exact; with S[6] = 1 it is half way, to even, when no
//    bits were lost (else the lost bits decide: packed mode). Why only that case needs the lost
//    bits: the exact result exceeds or falls short of S by less than one unit of bit 0 (the lost
//    part, doubled or halved with S), and S and the rounding boundaries are integers, so a
//    boundary can only lie between the exact result and S when S is on it.
// ---------------------------------------------------------------------------------------------

        .syntax unified
        .cpu cortex-m0plus
        .thumb

// Registers in the fast mode:
//   r0 = w + i (the next term's weight), r1 = x + i, r2 = A, r3-r7 scratch, r8 = 2^23,
//   r9 = 256 * sign, r10 = x + n (the end of the terms), r12 = e - 1.
// Both entry points keep [sp] = the next bias (or null), [sp + 4] = the next output, [sp + 8] =
// the end of the outputs, [sp + 12] = anne_fdot's result, [sp + 16] = x; r4-r10 are the
// caller's, saved and restored.

// The frame of both entry points: r4-r10 saved, 24 bytes of locals.
        .macro ENTER
        push    {r4-r7, lr}
        mov     r4, r8
        mov     r5, r9
        mov     r6, r10
        push    {r4-r6}
        sub     sp, #24
        .endm

// void anne_dense(const anne::Layer& layer, const float* x, float* z): a Dense layer's
// pre-activation z_j = anne_fdot(W_j, x, inputs) + bias_j (no bias when it is null), one call per
// layer, for a layer that validate_layer accepts (inputs >= 1). It reads the Layer fields at their
// offsets in include/anne/layer.hpp (which checks them with static_assert): inputs (uint16_t) at
// 2, units (uint16_t) at 4, weights at 8, bias at 12.
        .section .text.anne_dense, "ax", %progbits
        .balign 4
        .global anne_dense
        .type anne_dense, %function
        .thumb_func
anne_dense:
        ENTER
        ldr     r3, [r0, #12]           // bias
        ldrh    r4, [r0, #2]            // inputs
        ldrh    r5, [r0, #4]            // units
        ldr     r0, [r0, #8]            // weights
// r0 = w, r1 = x, r2 = z, r3 = bias, r4 = inputs, r5 = units; anne_fdot enters here too.
        .global anne_dense_body
        .type anne_dense_body, %function
        .thumb_func
anne_dense_body:
        str     r3, [sp]
        str     r2, [sp, #4]
        lsls    r5, r5, #2
        adds    r5, r2
        str     r5, [sp, #8]            // the end of z
        lsls    r4, r4, #2
        adds    r4, r1
        mov     r10, r4                 // the end of x
        str     r1, [sp, #16]           // x
        movs    r4, #1
        lsls    r4, r4, #23
        mov     r8, r4

// ---- One neuron: the sum starts at +0.
.Lneuron:
        ldr     r3, [sp, #4]
        ldr     r4, [sp, #8]
        cmp     r3, r4
        bne     .Lstart
.Ldone:
        ldr     r0, [sp, #12]           // anne_fdot's result
        add     sp, #24
        pop     {r4-r6}
        mov     r8, r4
        mov     r9, r5
        mov     r10, r6
        pop     {r4-r7, pc}
.Lstart:
        ldr     r1, [sp, #16]
        movs    r2, #0                  // A = 0
        mov     r9, r2                  // sign +
        mov     r12, r2                 // e - 1 = 0 (and at least one term: see anne_dense)

// ---- A term in the fast mode.
.Lloop:
        ldm     r0!, {r4}               // a = w_i
        ldm     r1!, {r5}               // b = x_i
        lsls    r6, r4, #1
        adds    r7, r6, r6
        bvc     .Lspecial               // e_a outside [64, 191]
        lsls    r7, r5, #1
        adds    r3, r7, r7
        bvc     .Lspecial               // e_b outside [64, 191]
        lsrs    r3, r4, #23             // s_a:e_a
        lsrs    r6, r5, #23             // s_b:e_b
        adds    r3, r6
        add     r3, r9
        subs    r3, #127                // bit 8: the signs differ; low byte: E2 - 127
        lsls    r7, r4, #9
        lsrs    r7, r7, #9
        add     r7, r8                  // m_a
// Q = P >> 16 = m_a * b1 + a1 * b0 + (a0 * b0 >> 16) with m_a = a1 * 2^16 + a0 and
// m_b = b1 * 2^16 + b0 (a1, b1 < 2^8), every product within 32 bits (see anne_fmul).
        lsls    r6, r5, #9
        lsrs    r6, r6, #25
        adds    r6, #128                // b1
        muls    r6, r7                  // m_a * b1
        uxth    r4, r7                  // a0
        lsrs    r7, r7, #16             // a1
        uxth    r5, r5                  // b0
        muls    r7, r5                  // a1 * b0
        adds    r7, r6
        muls    r4, r5                  // a0 * b0: its low half is P[15:0]
        lsrs    r6, r4, #16
        adds    r7, r6                  // Q; N = P >= 2^47
        bmi     1f
        lsls    r7, r7, #1              // P < 2^47: Q doubled, the exponent one lower
        subs    r3, #1
1:      lsls    r6, r7, #25             // Z = Q[6:0] == 0: P[15:0] would decide the rounding,
        beq     .Lgeneric               // a case rare enough for the packed mode
        lsrs    r7, r7, #1
        adds    r7, #64
        lsrs    r7, r7, #7
        lsls    r7, r7, #7              // Bp = M_p << 7, rounded half up
        uxtb    r5, r3                  // e_p - 1
        mov     r6, r12
        subs    r6, r5                  // d = e - e_p
        bmi     .Lbig
        lsrs    r7, r6                  // B = Bp >> d
        mov     r5, r12                 // the result's e - 1, before a carry or a cancellation
        movs    r4, #0                  // the sign stays
        lsls    r3, r3, #23             // N = the signs differ
        bmi     .Ldiff
        adds    r7, r2                  // S = A + B
        bcs     .Lgeneric               // 2^32 (A = Bp = 2^31, d = 0)
        bpl     .Lround
// S >= 2^31: one binade up, S / 2.
.Lcarry:
        adds    r5, #1
        lsrs    r7, r7, #1              // C = the bit shifted out
        bcc     .Lround
        movs    r6, #255                // a 1: S / 2 is a hair low, which matters only in a tie:
                                        // as for lost bits, the packed mode decides it
// S in [2^30, 2^31): rounded at bit 6 (r6 = the shift of step 3, r5 = the result's e - 1, r4 =
// 256 if the sign flips).
.Lround:
        lsls    r3, r7, #26             // C = round bit S[6], Z = S[5:0] == 0
        beq     .Ltie
        adds    r7, #64
        lsrs    r7, r7, #7
        lsls    r7, r7, #7
.Lcommit:
        cmp     r5, #252
        bhi     .Lgeneric               // e leaves [1, 253]
        movs    r2, r7
        mov     r12, r5
        add     r9, r4                  // bit 8 flips if r4 = 256 (higher bits are ignored)
.Lnext:
        cmp     r1, r10
        bne     .Lloop
        b       .Lpack
.Ltie:  bcc     .Lcommit                // exact
        cmp     r6, #7
        bhi     .Lgeneric               // half way, or above or below it by lost bits
        adds    r7, #64                 // half way: to even
        lsrs    r7, r7, #8
        lsls    r7, r7, #8
        b       .Lcommit

// Different signs, d >= 0: S = A - B, negative only when d = 0 and the product is the larger
// (packed mode).
.Ldiff:
        subs    r7, r2, r7
        bcc     .Lgeneric
// S >= 0, below 2^31: one leading bit lost (S in [2^29, 2^30)) is put back by doubling; more
// than one (possible only for d <= 1, an exact S) or zero: packed mode.
.Lnorm:
        lsrs    r3, r7, #30
        bne     .Lround
        lsrs    r3, r7, #29
        beq     .Lgeneric
        lsls    r7, r7, #1
        subs    r5, #1
        b       .Lround

// d < 0: the product's exponent is larger. The result starts at e_p (r5 = e_p - 1) with the
// product's sign; the sum is aligned to it, A >> -d. Bp >= 2^30 > A >> 1, so a difference is
// not negative.
.Lbig:
        cmp     r2, #0
        beq     .Lfirst
        negs    r6, r6                  // the shift, >= 1
        lsls    r3, r3, #23             // N = the signs differ
        bmi     1f
        movs    r4, #0                  // the sign stays
        movs    r3, r2
        lsrs    r3, r6
        adds    r7, r3                  // S = Bp + (A >> shift) < 2^32
        bmi     .Lcarry
        b       .Lround
1:      movs    r4, #1
        lsls    r4, r4, #8              // the sign flips
        movs    r3, r2
        lsrs    r3, r6
        subs    r7, r3                  // S = Bp - (A >> shift) >= 0
        b       .Lnorm

// The sum is +0: the rounded product is the new sum, exactly (Bp may be 2^31: unnormalized).
.Lfirst:
        lsrs    r4, r3, #8
        lsls    r4, r4, #8              // bit 8: the product's sign (the sign flips if it is -)
        b       .Lcommit

// An exponent outside [64, 191]. If b is +-0 (a ReLU output) and a finite, the product is +-0
// and the sum stays; anything else is computed in the packed mode.
.Lspecial:
        lsls    r6, r5, #1
        bne     .Lgeneric
        lsls    r6, r4, #1
        lsrs    r6, r6, #24
        cmp     r6, #255
        bne     .Lnext

// ---- The packed mode: this term again, by anne_fmul and anne_fadd on the packed sum.
.Lgeneric:
        subs    r0, #4
        subs    r1, #4
// The fast-mode sum as a float word: sign | (e - 1) << 23 plus m = A >> 7, whose hidden bit adds
// the missing 1 to the exponent field (an unnormalized m = 2^24 adds 2: the next binade).
.Lpack:
        lsrs    r2, r2, #7
        mov     r3, r9
        add     r3, r12                 // 256 * sign + e - 1 (r9's higher bits fall off below)
        lsls    r3, r3, #23
        adds    r2, r3
// r2 = the sum as a float word.
.Lpacked:
        cmp     r1, r10
        beq     .Lneuron_end
        adds    r4, r0, #4
        adds    r5, r1, #4
        ldr     r0, [r0]
        ldr     r1, [r1]
        movs    r6, r2
        bl      anne_fmul
        movs    r1, r0
        movs    r0, r6
        bl      anne_fadd
        movs    r2, r0
        movs    r0, r4
        movs    r1, r5
        b       .Lpacked                // the rest of the neuron, too


// ---- The neuron's sum (r2, packed) plus its bias, stored.
.Lneuron_end:
        ldr     r3, [sp]
        cmp     r3, #0
        beq     1f
        ldm     r3!, {r1}
        str     r3, [sp]
        movs    r4, r0
        movs    r0, r2
        bl      anne_fadd
        movs    r2, r0
        movs    r0, r4
1:      ldr     r3, [sp, #4]
        stm     r3!, {r2}
        str     r3, [sp, #4]
        b       .Lneuron
        .size   anne_dense, . - anne_dense

// float anne_fdot(const float* w, const float* x, uint32_t n): anne_dense's loop for one neuron
// without a bias, its result in the frame. (Its own section: linked only where it is called.)
        .section .text.anne_fdot, "ax", %progbits
        .balign 2
        .global anne_fdot
        .type anne_fdot, %function
        .thumb_func
anne_fdot:
        movs    r3, #0
        cmp     r2, #0
        bne     1f
        movs    r0, r3                  // n = 0: +0
        bx      lr
1:      ENTER
        movs    r4, r2                  // inputs = n
        movs    r5, #1                  // one neuron
        add     r2, sp, #12             // z: the result
        bl      anne_dense_body         // r3 = 0: no bias (it returns from anne_fdot: lr is saved)
        .size   anne_fdot, . - anne_fdot
