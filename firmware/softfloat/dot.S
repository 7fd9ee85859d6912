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
//     A = m << 7 in [2^30, 2^31]   (r2)     e - 1 in [0, 252]   (r12)     256 * sign - 127   (r9)
// The 7 zero bits below m leave room for the round bit and the sticky bits of the next sum.
// A = 2^31 (m = 2^24, "unnormalized") is allowed: it is what a rounding that carries out of 24
// bits gives, the same value as m = 2^23 one binade up; every step below works on the value.
// The -127 in r9 is step 1's, done once per neuron instead of once per term. Only r9's low byte
// (0x81) and the sign in bit 8 of r9 + 127 count: a sign change adds 256. Each neuron starts
// with the sum +0: A = 0, e - 1 = 0, sign 0, packed as the word 0. The sum is never -0: +0 + (+-0) = +0, and a sum of two
// nonzero floats is zero only by exact cancellation, which gives +0 when rounding to nearest. So
// a term whose product is +-0 (a ReLU output times a finite weight) leaves the sum as it is.
//
// Anything else - a zero weight, a subnormal, infinite or NaN operand, operands so small or large
// that the product could leave the normal range, a sum that leaves e in [1, 253], a rounding
// whose direction depends on bits the fast path did not keep - goes to the packed mode for the
// rest of the neuron: each term is anne_fadd(sum, anne_fmul(w_i, x_i)) on the packed sum,
// exactly the C loop. The fast path changes the state only at the end of a term, so the packed
// mode starts from the sum before the term. The bias is added by anne_fadd too.
//
// ---------------------------------------------------------------------------------------------
// One term (a = w_i, b = x_i) in the fast mode
//
// 1. b = +-0 is tested first (with a finite a the term is +-0). Then both exponents must be in
//    [64, 191] (|a|, |b| in [2^-63, 2^65)): (|a| << 1) doubled overflows (V) exactly then, as in
//    anne_fmul. E2 = e_a + e_b is in [128, 382], and the product P = m_a * m_b in [2^46, 2^48)
//    is a normal number with exponent e_p = E2 - 126 if P >= 2^47, E2 - 127 if not. One
//    register holds (s_a:e_a) + (s_b:e_b) + 256 * sign - 127: its low byte is E2 - 127 (at most
//    255, so nothing carries into bit 8) and its bit 8 tells whether the signs of the sum and the
//    product differ.
// 2. Q = P >> 16 from three MULS, as in anne_fmul; for P < 2^47 it is doubled (and the low byte,
//    at least 1, lowered: e_p - 1 either way), so its leading bit is bit 31. The product is Q
//    rounded at bit 7 (sticky: Q's bits below and P's low 16 bits), in A's layout:
//    Bp = M_p << 7 in [2^30, 2^31], half up. That is to nearest even except for a tie, which
//    needs Q[7] = 1, Q[6:0] = 0 and P[15:0] = 0: only then are P's low 16 bits looked at. Such
//    exact products are common (an input 1.0 from a one-hot code, or a small integer, has few
//    significant bits), so they stay in the fast mode.
// 3. d = e - e_p. For d >= 0 the product is aligned to the sum, B = Bp >> d, and the result
//    starts with the sum's exponent and sign; for d < 0 the sum is aligned to the product,
//    A >> -d, and the result starts with the product's exponent and sign (for the sum +0 it is
//    the product: Bp, exactly). Shifts of 32 or more give 0 (d is at most 255 in size, all that a
//    register shift reads). Either way the one with the larger exponent, X, has the other, Y,
//    added to or subtracted from it: S = X +- Y. Y has 7 zero bits at the bottom, so bits of it
//    are lost only for a shift of 8 or more.
// 4. A sum S >= 2^31 went one binade up: it is halved, and a 1 shifted out counts as a lost bit
//    (below). A difference below 2^30 lost leading bits and is doubled until it is not (more
//    than one only for d <= 1, where nothing was shifted out: S is exact; S = 0 makes the sum +0
//    again); a negative one (d = 0, the product the larger) is negated and takes the product's
//    sign. (Most terms need neither and keep e and the sign: .Lsame.) Then S is in
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
//   r4 = w + i (the next term's weight), r5 = x + i, r2 = A, r0, r1, r3, r6, r7 scratch,
//   r9 = 256 * sign - 127, r10 = x + n (the end of the terms), r12 = e - 1.
// (The pointers are in r4 and r5, which anne_fmul and anne_fadd keep, for the packed mode.)
// anne_dense_body pushes its six locals r0-r5 (one PUSH instead of six stores):
//   [sp] = anne_fdot's result, [sp + 4] = x, [sp + 8] = the next output, [sp + 12] = the next
//   bias (or null), [sp + 16] = w (not read again), [sp + 20] = the end of the outputs;
// r4-r7, r9 and r10 are the caller's, saved by ENTER and restored at the end.
        .equ    FRAME_RESULT, 0
        .equ    FRAME_X, 4
        .equ    FRAME_Z, 8
        .equ    FRAME_BIAS, 12
        .equ    FRAME_Z_END, 20
        .equ    FRAME_SIZE, 24

// The caller's registers of both entry points.
        .macro ENTER
        push    {r4-r7, lr}
        mov     r5, r9
        mov     r6, r10
        push    {r5, r6}
        .endm

// void anne_dense(const anne::Layer& layer, const float* x, float* z): a Dense layer's
// pre-activation z_j = anne_fdot(W_j, x, inputs) + bias_j (no bias when it is null), one call per
// layer, for a layer that validate_layer accepts (inputs >= 1, units >= 1). It reads the Layer
// fields at their offsets in include/anne/layer.hpp (which checks them with static_assert):
// inputs (uint16_t) at 2, units (uint16_t) at 4, weights at 8, bias at 12.
        .section .text.anne_dense, "ax", %progbits
        .balign 4
        .global anne_dense
        .type anne_dense, %function
        .thumb_func
anne_dense:
        ENTER
        ldr     r3, [r0, #12]           // bias
        ldr     r4, [r0, #8]            // weights
        ldrh    r5, [r0, #4]            // units
        ldrh    r0, [r0, #2]            // inputs
// r0 = inputs, r1 = x, r2 = z, r3 = bias, r4 = w, r5 = units; anne_fdot enters here too.
        .global anne_dense_body
        .type anne_dense_body, %function
        .thumb_func
anne_dense_body:
        lsls    r5, r5, #2
        adds    r5, r2                  // the end of z
        lsls    r0, r0, #2
        adds    r0, r1
        mov     r10, r0                 // the end of x
        push    {r0-r5}                 // the frame ([sp]: anne_fdot's result to be)

// ---- One neuron (at least one: see anne_dense): the sum starts at +0.
.Lneuron:
        ldr     r5, [sp, #FRAME_X]
        movs    r2, #0                  // A = 0
        mov     r12, r2                 // e - 1 = 0 (and at least one term: see anne_dense)
        movs    r3, #126
        mvns    r3, r3
        mov     r9, r3                  // sign +: 256 * 0 - 127

// ---- A term in the fast mode.
.Lloop:
        ldm     r4!, {r0}               // a = w_i
        ldm     r5!, {r1}               // b = x_i
        lsls    r7, r1, #1
        beq     .Lzero_input            // b = +-0
        adds    r3, r7, r7
        bvc     .Lgeneric               // e_b outside [64, 191]
        lsls    r6, r0, #1
        adds    r7, r6, r6
        bvc     .Lgeneric               // e_a outside [64, 191]
        lsrs    r3, r0, #23             // s_a:e_a
        subs    r7, r3, #1
        lsls    r7, r7, #23
        subs    r7, r0, r7              // m_a = a - (s_a:(e_a - 1)) << 23 = 2^23 + f_a
        lsrs    r6, r1, #23             // s_b:e_b
        adds    r3, r6
        add     r3, r9                  // bit 8: the signs differ; low byte: E2 - 127
// Q = P >> 16 = m_a * b1 + a1 * b0 + (a0 * b0 >> 16) with m_a = a1 * 2^16 + a0 and
// m_b = b1 * 2^16 + b0 (a1, b1 < 2^8), every product within 32 bits (see anne_fmul).
        lsls    r6, r1, #9
        lsrs    r6, r6, #25
        adds    r6, #128                // b1
        muls    r6, r7                  // m_a * b1
        uxth    r0, r7                  // a0
        lsrs    r7, r7, #16             // a1
        uxth    r1, r1                  // b0
        muls    r7, r1                  // a1 * b0
        adds    r7, r6
        muls    r0, r1                  // a0 * b0: its low half is P[15:0]
        lsrs    r6, r0, #16
        adds    r7, r6                  // Q; N = P >= 2^47
        bmi     1f
        lsls    r7, r7, #1              // P < 2^47: Q doubled, the exponent one lower
        subs    r3, #1
1:      lsls    r6, r7, #25             // C = Q[7], the round bit; Z = Q[6:0] == 0
        beq     .Lexact
.Lproduct_round:
        lsrs    r7, r7, #1
        adds    r7, #64
        lsrs    r7, r7, #7
        lsls    r7, r7, #7              // Bp = M_p << 7, rounded half up
.Lproduct_rounded:
        uxtb    r1, r3                  // e_p - 1
        mov     r6, r12
        subs    r6, r1                  // d = e - e_p
        bmi     .Lbig
        lsrs    r7, r6                  // B = Bp >> d
        lsls    r3, r3, #23             // N = the signs differ
        bmi     .Ldiff
        adds    r7, r2                  // S = A + B
        bcs     .Lgeneric               // 2^32 (A = Bp = 2^31, d = 0)
        bmi     .Lcarry_same
// The most common case: S in [2^30, 2^31) in the sum's binade, the sum's sign (a sum, or a
// difference that lost no leading bit). Rounded at bit 6 as in .Lround; e and the sign stay, so
// the paths from here set r1 and r0 for .Lcommit only when they need it.
.Lsame:
        lsls    r3, r7, #26             // C = round bit S[6], Z = S[5:0] == 0
        beq     .Lsame_tie
        adds    r7, #64
        lsrs    r7, r7, #7
        lsls    r7, r7, #7
.Lsame_commit:
        movs    r2, r7
        cmp     r5, r10                 // .Lnext, copied: a branch less per term
        bne     .Lloop
        b       .Lpack

// b = +-0 (a ReLU output): if a is finite, the product is +-0 and the sum stays (tested first:
// a third of the terms of a ReLU network may be such). If not, the packed mode makes it NaN.
.Lzero_input:
        lsls    r6, r0, #1
        lsrs    r6, r6, #24             // e_a
        cmp     r6, #255
        beq     .Lgeneric
        cmp     r5, r10                 // .Lnext, copied
        bne     .Lloop
        b       .Lpack

// S >= 2^31: one binade up, S / 2.
.Lcarry_same:
        mov     r1, r12                 // the sum's e - 1
        movs    r0, #0                  // and its sign
.Lcarry:
        adds    r1, #1
        lsrs    r7, r7, #1              // C = the bit shifted out
        bcc     .Lround
        movs    r6, #255                // a 1: S / 2 is a hair low, which matters only in a tie:
                                        // as for lost bits, the packed mode decides it
// S in [2^30, 2^31): rounded at bit 6 (r6 = the shift of step 3, r1 = the result's e - 1, r0 =
// 256 if the sign flips).
.Lround:
        lsls    r3, r7, #26             // C = round bit S[6], Z = S[5:0] == 0
        beq     .Ltie
        adds    r7, #64
        lsrs    r7, r7, #7
        lsls    r7, r7, #7
.Lcommit:
        cmp     r1, #252
        bhi     .Lgeneric               // e leaves [1, 253]
        movs    r2, r7
        mov     r12, r1
        add     r9, r0                  // bit 8 flips if r0 = 256 (higher bits are ignored)
// The next term, or the end of the terms (the sum packed, then the neuron's end).
.Lnext:
        cmp     r5, r10
        bne     .Lloop
        b       .Lpack
.Ltie:  bcc     .Lcommit                // exact
        b       .Lhalf_way
.Lsame_tie:
        bcc     .Lsame_commit           // exact
        mov     r1, r12                 // the sum's e - 1 and sign (MOV and MOVS keep C)
        movs    r0, #0
.Lhalf_way:
        cmp     r6, #7
        bhi     .Lgeneric               // half way, or above or below it by lost bits
        adds    r7, #64                 // half way: to even
        lsrs    r7, r7, #8
        lsls    r7, r7, #8
        b       .Lcommit

// Q[6:0] = 0. With the round bit Q[7] = 0 the product rounds down whatever P[15:0] is (it is
// exact if they are 0): Bp = Q >> 1 as it is. With Q[7] = 1 it rounds up when P[15:0] != 0
// (above half way), as half up does; only P[15:0] = 0 is a tie, rounded to even: down when
// Q[8] = 0, which rounding half up does to Q - 1. So Q - 1 + Q[8].
.Lexact:
        bcs     1f
        lsrs    r7, r7, #1
        b       .Lproduct_rounded
1:      lsls    r0, r0, #16             // P[15:0]
        bne     .Lproduct_round
        lsrs    r6, r7, #9              // C = Q[8]
        sbcs    r7, r0                  // Q - r0 - (1 - C) = Q - 1 + Q[8] (r0 = 0 here)
        b       .Lproduct_round

// Different signs, d >= 0: S = A - B, negative only when d = 0 and the product is the larger:
// then B - A, exact, with the product's sign. Most differences lose no leading bit: .Lsame.
.Ldiff:
        subs    r7, r2, r7
        bcc     .Lnegative
        lsrs    r3, r7, #30
        bne     .Lsame                  // no leading bit lost
        mov     r1, r12                 // the sum's e - 1 and sign
        movs    r0, #0
// S in [0, 2^31): leading bits lost are put back by doubling, the exponent going down. More than
// one only for d <= 1, where S is exact (the shifted operand lost no bits); S = 0 makes the sum
// +0 again.
.Lnorm:
        lsrs    r3, r7, #30
        bne     .Lround
        subs    r1, #1
        lsls    r7, r7, #1
        bne     .Lnorm
        movs    r1, #0                  // A = 0, e - 1 = 0, and the sign +: with r0 = r9 + 127,
        mov     r0, r9                  // (r9 + r0) + 127 = 2 (r9 + 127), whose bit 8 is 0 (bits
        adds    r0, #127                // 7..0 of r9 + 127 are 0)
        b       .Lcommit

// d < 0: the product's exponent is larger. The result starts at e_p (r1 = e_p - 1) with the
// product's sign; the sum is aligned to it, A >> -d. Bp >= 2^30 > A >> 1, so the difference
// (A >> -d) - Bp is negative, and negated: the result's sign is the product's. For the sum +0
// the result is the rounded product, exactly (Bp may be 2^31: unnormalized).
.Lbig:
        subs    r0, r3, r1              // r3 without its low byte: bit 8 = the signs differ
        cmp     r2, #0
        beq     .Lcommit                // the sum is +0
        negs    r6, r6                  // the shift, >= 1
        movs    r3, r2
        lsrs    r3, r6                  // A >> shift
        lsls    r0, r0, #23             // N = the signs differ; r0 = 0 (the sign stays) if not
        bmi     1f
        adds    r7, r3                  // S = Bp + (A >> shift) < 2^32
        bmi     .Lcarry
        b       .Lround
1:      subs    r7, r3, r7              // (A >> shift) - Bp < 0
.Lnegative:
        negs    r7, r7                  // S = Bp - (A >> shift), or B - A from .Ldiff
        movs    r0, #1
        lsls    r0, r0, #8              // the sign flips
        b       .Lnorm

// ---- The packed mode: this term again, by anne_fmul and anne_fadd on the packed sum.
.Lgeneric:
        subs    r4, #4
        subs    r5, #4
// The fast-mode sum as a float word: sign | (e - 1) << 23 plus m = A >> 7, whose hidden bit adds
// the missing 1 to the exponent field (an unnormalized m = 2^24 adds 2: the next binade).
.Lpack:
        lsrs    r2, r2, #7
        mov     r3, r9
        adds    r3, #127
        add     r3, r12                 // 256 * sign + e - 1 (r9's higher bits fall off below)
        lsls    r3, r3, #23
        adds    r2, r3
// r2 = the sum as a float word.
.Lpacked:
        cmp     r5, r10
        beq     .Lneuron_end
        ldm     r4!, {r0}
        ldm     r5!, {r1}
        movs    r6, r2
        bl      anne_fmul
        movs    r1, r0
        movs    r0, r6
        bl      anne_fadd
        movs    r2, r0
        b       .Lpacked                // the rest of the neuron, too


// ---- The neuron's sum (r2, packed) plus its bias, stored; then the next neuron (its weights at
// r4), or the end.
.Lneuron_end:
        ldr     r3, [sp, #FRAME_BIAS]
        cmp     r3, #0
        beq     1f
        ldm     r3!, {r1}
        str     r3, [sp, #FRAME_BIAS]
        movs    r0, r2
        bl      anne_fadd
        movs    r2, r0
1:      ldr     r3, [sp, #FRAME_Z]
        stm     r3!, {r2}
        str     r3, [sp, #FRAME_Z]
        ldr     r0, [sp, #FRAME_Z_END]
        cmp     r3, r0
        beq     1f
        b       .Lneuron                // (out of a conditional branch's reach)
1:      pop     {r0-r5}                 // r0 = anne_fdot's result
        pop     {r5, r6}
        mov     r9, r5
        mov     r10, r6
        pop     {r4-r7, pc}
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
        movs    r4, r0                  // w
        movs    r0, r2                  // inputs = n
        movs    r5, #1                  // one neuron
        mov     r2, sp
        subs    r2, #FRAME_SIZE - FRAME_RESULT  // z: the result's word in the frame to be pushed
        bl      anne_dense_body         // r3 = 0: no bias (it returns from anne_fdot: lr is saved)
        .size   anne_fdot, . - anne_fdot
