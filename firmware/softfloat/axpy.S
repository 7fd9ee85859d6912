// SPDX-License-Identifier: MIT
//
// anne_faxpy: the training's vector operations (include/anne/train/vectors.hpp) for ARMv6-M
// (Cortex-M0/M0+, the RP2040), in Thumb-1 assembly, with exactly the bits of the C loops
//
//     y_i = a * x_i            z == null   (scaled: a sample's dW row, the first row of dx)
//     y_i = z_i + a * x_i      otherwise   (add_scaled: dW and dx rows added, the SGD update)
//
// in IEEE-754 binary32, round to nearest, ties to even: the product rounded to a float, then the
// sum (two roundings, no fused multiply-add). y may be z. Why not the C loop: it calls anne_fmul
// for every element, which unpacks a each time and costs a call. Here a is unpacked once, the
// product is computed inline by anne_fmul's fast path (float.S: the same formula and the same
// rounding), and the sum is anne_fadd itself. Anything anne_fmul's fast path would not take - a
// outside it (a zero gradient, say), x_i zero, subnormal, huge, infinite or NaN, a product whose
// bits below the round bit are all zero within Q (P's low 16 bits would decide: a tie or not) -
// is computed by anne_fmul, except the common x_i = +-0 with a in the fast range (a ReLU output,
// a zero gradient): its product is the signed zero, and z_i + (+-0) = z_i for a finite nonzero
// z_i needs no anne_fadd. firmware/softfloat/check.cpp compares it with the C loops. Its own
// section: only images that train link it.
//
//     void anne_faxpy(const float* z, float a, const float* x, float* y, uint32_t n);
//                     r0              r1       r2              r3        [sp]
//
// The product (float.S, anne_fmul): a = m_a 2^(e_a - 150), b = x_i = m_b 2^(e_b - 150) with
// e_a in [64, 189], e_b in [64, 191], so the product is a normal number. With m_a = a1 2^16 + a0
// and m_b = b1 2^16 + b0, Q = P >> 16 = m_a b1 + a1 b0 + (a0 b0 >> 16) of P = m_a m_b in
// [2^46, 2^48); the significand is Q >> 8 (P >= 2^47) or Q >> 7, the next bit the round bit, the
// bits below it sticky. Sign and exponent: (s_a:(e_a - 1)) - 126 + (s_b:e_b) = 256 (s_a + s_b) +
// E - 1 (x:y = 256 x + y; E = e_a + e_b - 126 for P >= 2^47, one less below), bit 8 the sign of
// the product, shifted left by 23 the packed word that the significand, with its hidden bit, is
// added to (a rounding that carries out of 24 bits lands in the next binade, as in float.S).

        .syntax unified
        .cpu cortex-m0plus
        .thumb

// Registers: r4 = x + i, r5 = y + i, r6 = z + i, r7 = m_a, r8 = x + n, r9 = s_a:(e_a - 1) - 126,
// r10 = a; r0-r3 scratch (and anne_fmul's and anne_fadd's arguments).

// r1 = a * b for r0 = b, or a branch to `slow` for e_b outside [64, 191] (r0 = b) and to `tie`
// when Q's bits below the round bit are all zero (P's low 16 bits would decide). A Q below 2^31
// (P < 2^47) is doubled and the exponent lowered, so both cases round at bit 7.
        .macro PRODUCT slow, tie
        lsls    r1, r0, #1
        adds    r2, r1, r1
        bvc     \slow                   // e_b outside [64, 191]: |b| << 1 doubled overflows
        lsrs    r1, r0, #23             // s_b:e_b
        add     r1, r9                  // 256 (s_a + s_b) + E - 1, E = e_a + e_b - 126
        lsls    r2, r0, #9
        lsrs    r2, r2, #25
        adds    r2, #128                // b1
        muls    r2, r7                  // m_a * b1
        lsrs    r3, r7, #16             // a1
        uxth    r0, r0                  // b0
        muls    r3, r0                  // a1 * b0
        adds    r2, r3
        uxth    r3, r7                  // a0
        muls    r3, r0                  // a0 * b0
        lsrs    r0, r3, #16
        adds    r0, r2                  // Q; N = P >= 2^47
        bmi     1f
        lsls    r0, r0, #1              // P < 2^47: the exponent one lower
        subs    r1, #1
1:      lsls    r1, r1, #23             // sign | (E - 1) << 23
        lsls    r2, r0, #25             // C = round bit Q[7], Z = Q[6:0] == 0
        beq     \tie
        lsrs    r0, r0, #8
        adcs    r1, r0                  // the product, rounded
        .endm

        .section .text.anne_faxpy, "ax", %progbits
        .balign 4
        .global anne_faxpy
        .type anne_faxpy, %function
        .thumb_func
anne_faxpy:
        push    {r4-r7, lr}
        mov     r4, r8
        mov     r5, r9
        mov     r6, r10
        push    {r4-r6}
        ldr     r7, [sp, #32]           // n
        lsls    r7, r7, #2
        adds    r7, r2
        mov     r8, r7                  // the end of x
        movs    r4, r2
        movs    r5, r3
        movs    r6, r0
        mov     r10, r1
        cmp     r4, r7
        beq     .Lreturn                // n = 0
        lsrs    r2, r1, #23
        subs    r2, #1                  // s_a:(e_a - 1)
        uxtb    r3, r2
        subs    r3, #63
        cmp     r3, #125
        bhi     .Lslow_a                // e_a outside [64, 189]
        lsls    r3, r2, #23
        subs    r1, r3                  // m_a = a - (s_a:(e_a - 1)) << 23
        movs    r7, r1
        subs    r2, #126
        mov     r9, r2
        cmp     r6, #0
        bne     .Laxpy

// ---- y_i = a x_i, a in the fast range.
.Lscale:
        ldm     r4!, {r0}               // b = x_i
        PRODUCT .Lscale_slow, .Lscale_tie
.Lscale_store:
        stm     r5!, {r1}
        cmp     r4, r8
        bne     .Lscale
        b       .Lreturn
.Lscale_tie:
        subs    r4, #4
        ldm     r4!, {r0}               // b once more
.Lscale_slow:
        bl      .Lproduct_slow
        b       .Lscale_store

// ---- y_i = z_i + a x_i, a in the fast range.
.Laxpy:
        ldm     r4!, {r0}               // b = x_i
        PRODUCT .Laxpy_slow, .Laxpy_tie
.Laxpy_add:
        ldm     r6!, {r0}
        bl      anne_fadd
.Laxpy_store:
        stm     r5!, {r0}
        cmp     r4, r8
        bne     .Laxpy
        b       .Lreturn
// b = +-0 (a ReLU output or a zero gradient): z_i + (+-0) is z_i itself when z_i is finite and
// not zero (a sum of zeros has its own sign rule, and NaN and infinities go to anne_fadd).
.Laxpy_slow:
        lsls    r1, r0, #1
        bne     .Laxpy_fmul
        ldr     r2, [r6]                // z_i
        lsls    r3, r2, #1
        beq     .Laxpy_fmul             // z_i = +-0
        asrs    r3, r3, #24
        adds    r3, #1
        beq     .Laxpy_fmul             // e_z = 255: infinite or NaN
        adds    r6, #4
        movs    r0, r2
        b       .Laxpy_store
.Laxpy_tie:
        subs    r4, #4
        ldm     r4!, {r0}               // b once more
.Laxpy_fmul:
        bl      .Lproduct_slow
        b       .Laxpy_add

// ---- a outside anne_fmul's fast range: every product from anne_fmul.
.Lslow_a:
        ldm     r4!, {r1}
        mov     r0, r10
        bl      anne_fmul
        cmp     r6, #0
        beq     1f
        movs    r1, r0
        ldm     r6!, {r0}
        bl      anne_fadd
1:      stm     r5!, {r0}
        cmp     r4, r8
        bne     .Lslow_a
.Lreturn:
        pop     {r4-r6}
        mov     r8, r4
        mov     r9, r5
        mov     r10, r6
        pop     {r4-r7, pc}

// r1 = a * b (r0 = b) where the fast path does not do it, a in its range: b = +-0 gives the
// signed zero (a is finite), anything else anne_fmul. A subroutine of the loops above.
.Lproduct_slow:
        lsls    r1, r0, #1
        bne     1f
        mov     r1, r10
        eors    r1, r0
        lsrs    r1, r1, #31
        lsls    r1, r1, #31             // (s_a XOR s_b) 0
        bx      lr
1:      push    {lr}
        movs    r1, r0
        mov     r0, r10
        bl      anne_fmul
        movs    r1, r0
        pop     {pc}
        .size   anne_faxpy, . - anne_faxpy
