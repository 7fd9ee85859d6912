// SPDX-License-Identifier: MIT
//
// Makes the linker use anne's soft-float routines (float.S) instead of libgcc's: every routine
// also gets the name of the AEABI run-time helper that the compiler calls for float arithmetic,
// so these definitions are found before the linker ever searches libgcc.a.
//
//   __aeabi_fadd  = anne_fadd     __aeabi_fcmplt = anne_fcmplt    __aeabi_f2iz     = anne_f2iz
//   __aeabi_fsub  = anne_fsub     __aeabi_fcmple = anne_fcmple    __aeabi_i2f      = anne_i2f
//   __aeabi_frsub = anne_frsub    __aeabi_fcmpeq = anne_fcmpeq    __aeabi_ui2f     = anne_ui2f
//   __aeabi_fmul  = anne_fmul     __aeabi_fcmpge = anne_fcmpge    __aeabi_cfcmple  = anne_cfcmple
//   __aeabi_fdiv  = anne_fdiv     __aeabi_fcmpgt = anne_fcmpgt    __aeabi_cfcmpeq  = anne_cfcmpeq
//   __aeabi_f2uiz = anne_f2uiz    __aeabi_fcmpun = anne_fcmpun    __aeabi_cfrcmple = anne_cfrcmple
//
// libgcc defines __aeabi_fcmp{eq,lt,le,ge,gt} and __aeabi_cf{cmpeq,cmple,rcmple} in one object
// (_arm_cmpsf2.o) and __aeabi_frsub alone in another; since all of those names are defined here,
// no reference can pull those objects in, and there are no duplicate definitions. libgcc's own
// helpers that do float arithmetic (__powisf2, __mulsc3, __fixunssfsi, ...) call these too.
//
// An assembler alias must be defined in the same object as its target, so this file assembles
// float.S once more with ANNE_SOFTFLOAT_AEABI set: then every entry point carries both names,
// and its anne_* name is weak. An image may link aeabi.S alone or together with float.S (the
// anne_* names then resolve to float.S's copy, which --gc-sections drops if nothing calls it by
// that name; the __aeabi_* names always resolve here).
#define ANNE_SOFTFLOAT_AEABI 1
#include "float.S"
