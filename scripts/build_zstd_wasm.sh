#!/usr/bin/env bash
# Regenerates src/gen/zstd_wasm.ts: zstd's decompressor (no compressor, no dictionary builder,
# no legacy formats) compiled to WebAssembly at -O3, embedded as base64 so `deno compile` and
# `bun build --compile` carry it and neither runtime reads a file at run time.
# src/zstd/fast_zstd.ts loads it.
#
#   scripts/build_zstd_wasm.sh          # writes src/gen/zstd_wasm.ts
#
# Steps:
#   1. zstd's C sources: the crates.io crate zstd-sys (it vendors zstd's lib/), pinned by version
#      and sha256, downloaded once into .cache/zstd-wasm/.
#   2. Applies the patch below (64-bit bit containers on wasm32; ZSTD_WASM_PATCH=0 skips it), then
#      compiles lib/common/{entropy_common,error_private,fse_decompress,xxhash,zstd_common}.c and
#      lib/decompress/{huf_decompress,zstd_ddict,zstd_decompress,zstd_decompress_block}.c with
#      Debian's clang for wasm32 (-O3 -flto, bulk memory for memcpy/memset; ZSTD_LEGACY_SUPPORT=0,
#      ZSTD_DISABLE_ASM, ZSTD_NO_INTRINSICS) against a few stub headers instead of a libc, plus a
#      small allocator (malloc/calloc/free on the WASM memory: first fit, address-ordered free
#      list, coalescing, grows the memory in 64 KiB pages).
#   3. Links with wasm-ld: no entry point, stack first (an overflow traps instead of overwriting
#      data), names stripped, exports: memory, malloc, free, ZSTD_createDCtx, ZSTD_freeDCtx,
#      ZSTD_decompressDCtx, ZSTD_isError.
#   4. Writes the module as base64 into src/gen/zstd_wasm.ts with a header naming the zstd version,
#      the source's sha256, the compiler and zstd's BSD license.
# Reproducible: the same clang gives the same bytes (the header records the clang version; no
# paths or timestamps end up in the module).
#
# The patch. zstd picks its bit-reader width from sizeof(size_t), so on wasm32 it reads the
# entropy-coded streams 32 bits at a time and never uses its fast Huffman loops, although
# WebAssembly has 64-bit integers. With -DZSTD_BITSTREAM_U64 the bit container is a U64 and every
# "how many bits are left" decision that upstream takes on MEM_32bits()/MEM_64bits() (and the
# sizeof(size_t) bounds that go with it) follows the container's size instead, so the decoder runs
# upstream's 64-bit code paths (the ones native x86-64 and arm64 builds use) with 32-bit
# pointers. Pointer and size_t arithmetic is untouched. About 15% faster on the typical frames
# (docs/benchmarks.md); the unit tests compare every result with node:zlib's zstd.
#
# Needs: curl, tar, sha256sum, base64, patch, clang and wasm-ld (Debian: apt-get install -y clang
# lld patch).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

ZSTD_SYS_VERSION="2.1.3+zstd.1.5.7"
ZSTD_SYS_SHA256="f729a06d0257428fd9d997ac8db7e1407bd0262ab016b085b36bc52957c0052d"
ZSTD_VERSION="${ZSTD_SYS_VERSION#*+zstd.}"
URL="https://static.crates.io/crates/zstd-sys/zstd-sys-${ZSTD_SYS_VERSION}.crate"
CACHE="$ROOT/.cache/zstd-wasm"
OUT="$ROOT/src/gen/zstd_wasm.ts"

say() { printf 'build_zstd_wasm.sh: %s\n' "$*" >&2; }
die() {
  say "$*"
  exit 1
}

CLANG="${CLANG:-clang}"
WASM_LD="${WASM_LD:-wasm-ld}"
command -v "$CLANG" >/dev/null || die "clang not found (Debian: apt-get install -y clang lld)"
command -v "$WASM_LD" >/dev/null || die "wasm-ld not found (Debian: apt-get install -y lld)"
for tool in curl tar sha256sum base64 patch; do
  command -v "$tool" >/dev/null || die "$tool not found"
done

# 1. Sources.
mkdir -p "$CACHE"
CRATE="$CACHE/zstd-sys-${ZSTD_SYS_VERSION}.crate"
if [[ ! -f "$CRATE" ]] || ! echo "$ZSTD_SYS_SHA256  $CRATE" | sha256sum -c --status; then
  say "downloading $URL"
  curl -sSfL --retry 3 -o "$CRATE.part" "$URL"
  mv "$CRATE.part" "$CRATE"
fi
echo "$ZSTD_SYS_SHA256  $CRATE" | sha256sum -c --status || die "sha256 mismatch for $CRATE"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
tar -xzf "$CRATE" -C "$WORK"
SRC="$WORK/zstd-sys-${ZSTD_SYS_VERSION}/zstd"
LIB="$SRC/lib"
grep -q "#define ZSTD_VERSION_RELEASE  *${ZSTD_VERSION##*.}\$" "$LIB/zstd.h" ||
  die "zstd.h is not zstd $ZSTD_VERSION"

# The patch (see the top of this file): bitstream.h gets a U64 BitContainerType under
# ZSTD_BITSTREAM_U64 and BIT_CONTAINER_32/64; huf_decompress.c and zstd_decompress_block.c test
# those instead of MEM_32bits()/MEM_64bits() where the question is how many bits the container
# holds, and sizeof(BitContainerType) instead of sizeof(size_t) in the matching output bounds.
# Made with diff -U2 against the pinned sources; `patch` fails loudly if it does not apply.
PATCHED="${ZSTD_WASM_PATCH:-1}"
if [[ "$PATCHED" == 1 ]]; then
  patch -p1 --quiet --no-backup-if-mismatch -d "$LIB" <<'EOF'
--- a/common/bitstream.h
+++ b/common/bitstream.h
@@ -43,5 +43,5 @@
 #define STREAM_ACCUMULATOR_MIN_32  25
 #define STREAM_ACCUMULATOR_MIN_64  57
-#define STREAM_ACCUMULATOR_MIN    ((U32)(MEM_32bits() ? STREAM_ACCUMULATOR_MIN_32 : STREAM_ACCUMULATOR_MIN_64))
+#define STREAM_ACCUMULATOR_MIN    ((U32)(BIT_CONTAINER_32 ? STREAM_ACCUMULATOR_MIN_32 : STREAM_ACCUMULATOR_MIN_64))
 
 
@@ -49,5 +49,13 @@
 *  bitStream encoding API (write forward)
 ********************************************/
+#ifdef ZSTD_BITSTREAM_U64   /* 64-bit bit containers on a 32-bit target with 64-bit registers (wasm32) */
+typedef U64 BitContainerType;
+#  define BIT_readLEContainer(p) MEM_readLE64(p)
+#else
 typedef size_t BitContainerType;
+#  define BIT_readLEContainer(p) MEM_readLEST(p)
+#endif
+#define BIT_CONTAINER_32 (sizeof(BitContainerType)==4)
+#define BIT_CONTAINER_64 (sizeof(BitContainerType)==8)
 /* bitStream can mix input from multiple sources.
  * A critical property of these streams is that they encode and decode in **reverse** direction.
@@ -128,5 +136,5 @@
 /* unsafe version; does not check buffer overflow */
 
-MEM_STATIC size_t BIT_readBitsFast(BIT_DStream_t* bitD, unsigned nbBits);
+MEM_STATIC BitContainerType BIT_readBitsFast(BIT_DStream_t* bitD, unsigned nbBits);
 /* faster, but works only if nbBits >= 1 */
 
@@ -261,5 +269,5 @@
     if (srcSize >=  sizeof(bitD->bitContainer)) {  /* normal case */
         bitD->ptr   = (const char*)srcBuffer + srcSize - sizeof(bitD->bitContainer);
-        bitD->bitContainer = MEM_readLEST(bitD->ptr);
+        bitD->bitContainer = BIT_readLEContainer(bitD->ptr);
         { BYTE const lastByte = ((const BYTE*)srcBuffer)[srcSize-1];
           bitD->bitsConsumed = lastByte ? 8 - ZSTD_highbit32(lastByte) : 0;  /* ensures bitsConsumed is always set */
@@ -388,5 +396,5 @@
     assert(bitD->ptr >= bitD->start);
     bitD->bitsConsumed &= 7;
-    bitD->bitContainer = MEM_readLEST(bitD->ptr);
+    bitD->bitContainer = BIT_readLEContainer(bitD->ptr);
     return BIT_DStream_unfinished;
 }
@@ -439,5 +447,5 @@
         bitD->ptr -= nbBytes;
         bitD->bitsConsumed -= nbBytes*8;
-        bitD->bitContainer = MEM_readLEST(bitD->ptr);   /* reminder : srcSize > sizeof(bitD->bitContainer), otherwise bitD->ptr == bitD->start */
+        bitD->bitContainer = BIT_readLEContainer(bitD->ptr);   /* reminder : srcSize > sizeof(bitD->bitContainer), otherwise bitD->ptr == bitD->start */
         return result;
     }
--- a/decompress/huf_decompress.c
+++ b/decompress/huf_decompress.c
@@ -148,10 +148,9 @@
 }
 
-static size_t HUF_initFastDStream(BYTE const* ip) {
+static U64 HUF_initFastDStream(BYTE const* ip) {
     BYTE const lastByte = ip[7];
     size_t const bitsConsumed = lastByte ? 8 - ZSTD_highbit32(lastByte) : 0;
-    size_t const value = MEM_readLEST(ip) | 1;
+    U64 const value = MEM_readLE64(ip) | 1;
     assert(bitsConsumed <= 8);
-    assert(sizeof(size_t) == 8);
     return value << bitsConsumed;
 }
@@ -201,5 +200,5 @@
      * This condition is false on x32.
      */
-    if (!MEM_isLittleEndian() || MEM_32bits())
+    if (!MEM_isLittleEndian() || BIT_CONTAINER_32)
         return 0;
 
@@ -293,9 +292,9 @@
 
     /* Construct the BIT_DStream_t. */
-    assert(sizeof(size_t) == 8);
-    bit->bitContainer = MEM_readLEST(args->ip[stream]);
+    assert(BIT_CONTAINER_64);
+    bit->bitContainer = BIT_readLEContainer(args->ip[stream]);
     bit->bitsConsumed = ZSTD_countTrailingZeros64(args->bits[stream]);
     bit->start = (const char*)args->ilowest;
-    bit->limitPtr = bit->start + sizeof(size_t);
+    bit->limitPtr = bit->start + sizeof(BitContainerType);
     bit->ptr = (const char*)args->ip[stream];
 
@@ -533,5 +532,5 @@
 #define HUF_DECODE_SYMBOLX1_1(ptr, DStreamPtr)      \
     do {                                            \
-        if (MEM_64bits() || (HUF_TABLELOG_MAX<=12)) \
+        if (BIT_CONTAINER_64 || (HUF_TABLELOG_MAX<=12)) \
             HUF_DECODE_SYMBOLX1_0(ptr, DStreamPtr); \
     } while (0)
@@ -539,5 +538,5 @@
 #define HUF_DECODE_SYMBOLX1_2(ptr, DStreamPtr)      \
     do {                                            \
-        if (MEM_64bits())                           \
+        if (BIT_CONTAINER_64)                       \
             HUF_DECODE_SYMBOLX1_0(ptr, DStreamPtr); \
     } while (0)
@@ -561,5 +560,5 @@
 
     /* [0-3] symbols remaining */
-    if (MEM_32bits())
+    if (BIT_CONTAINER_32)
         while ((BIT_reloadDStream(bitDPtr) == BIT_DStream_unfinished) & (p < pEnd))
             HUF_DECODE_SYMBOLX1_0(p, bitDPtr);
@@ -650,5 +649,5 @@
 
         /* up to 16 symbols per loop (4 symbols per stream) in 64-bit mode */
-        if ((size_t)(oend - op4) >= sizeof(size_t)) {
+        if ((size_t)(oend - op4) >= sizeof(BitContainerType)) {
             for ( ; (endSignal) & (op4 < olimit) ; ) {
                 HUF_DECODE_SYMBOLX1_2(op1, &bitD1);
@@ -734,5 +733,5 @@
 
     assert(MEM_isLittleEndian());
-    assert(!MEM_32bits());
+    assert(BIT_CONTAINER_64);
 
     for (;;) {
@@ -1295,5 +1294,5 @@
 #define HUF_DECODE_SYMBOLX2_1(ptr, DStreamPtr)                     \
     do {                                                           \
-        if (MEM_64bits() || (HUF_TABLELOG_MAX<=12))                \
+        if (BIT_CONTAINER_64 || (HUF_TABLELOG_MAX<=12))            \
             ptr += HUF_decodeSymbolX2(ptr, DStreamPtr, dt, dtLog); \
     } while (0)
@@ -1301,5 +1300,5 @@
 #define HUF_DECODE_SYMBOLX2_2(ptr, DStreamPtr)                     \
     do {                                                           \
-        if (MEM_64bits())                                          \
+        if (BIT_CONTAINER_64)                                      \
             ptr += HUF_decodeSymbolX2(ptr, DStreamPtr, dt, dtLog); \
     } while (0)
@@ -1313,5 +1312,5 @@
     /* up to 8 symbols at a time */
     if ((size_t)(pEnd - p) >= sizeof(bitDPtr->bitContainer)) {
-        if (dtLog <= 11 && MEM_64bits()) {
+        if (dtLog <= 11 && BIT_CONTAINER_64) {
             /* up to 10 symbols at a time */
             while ((BIT_reloadDStream(bitDPtr) == BIT_DStream_unfinished) & (p < pEnd-9)) {
@@ -1393,5 +1392,5 @@
         BYTE* const ostart = (BYTE*) dst;
         BYTE* const oend = ostart + dstSize;
-        BYTE* const olimit = oend - (sizeof(size_t)-1);
+        BYTE* const olimit = oend - (sizeof(BitContainerType)-1);
         const void* const dtPtr = DTable+1;
         const HUF_DEltX2* const dt = (const HUF_DEltX2*)dtPtr;
@@ -1431,5 +1430,5 @@
 
         /* 16-32 symbols per loop (4-8 symbols per stream) */
-        if ((size_t)(oend - op4) >= sizeof(size_t)) {
+        if ((size_t)(oend - op4) >= sizeof(BitContainerType)) {
             for ( ; (endSignal) & (op4 < olimit); ) {
 #if defined(__clang__) && (defined(__x86_64__) || defined(__i386__))
@@ -1542,5 +1541,5 @@
 
     assert(MEM_isLittleEndian());
-    assert(!MEM_32bits());
+    assert(BIT_CONTAINER_64);
 
     for (;;) {
--- a/decompress/zstd_decompress_block.c
+++ b/decompress/zstd_decompress_block.c
@@ -1282,5 +1282,5 @@
                 ZSTD_STATIC_ASSERT(STREAM_ACCUMULATOR_MIN_32 > LONG_OFFSETS_MAX_EXTRA_BITS_32);
                 ZSTD_STATIC_ASSERT(STREAM_ACCUMULATOR_MIN_32 - LONG_OFFSETS_MAX_EXTRA_BITS_32 >= MaxMLBits);
-                if (MEM_32bits() && longOffsets && (ofBits >= STREAM_ACCUMULATOR_MIN_32)) {
+                if (BIT_CONTAINER_32 && longOffsets && (ofBits >= STREAM_ACCUMULATOR_MIN_32)) {
                     /* Always read extra bits, this keeps the logic simple,
                      * avoids branches, and avoids accidentally reading 0 bits.
@@ -1292,5 +1292,5 @@
                 } else {
                     offset = ofBase + BIT_readBitsFast(&seqState->DStream, ofBits/*>0*/);   /* <=  (ZSTD_WINDOWLOG_MAX-1) bits */
-                    if (MEM_32bits()) BIT_reloadDStream(&seqState->DStream);
+                    if (BIT_CONTAINER_32) BIT_reloadDStream(&seqState->DStream);
                 }
                 seqState->prevOffset[2] = seqState->prevOffset[1];
@@ -1317,7 +1317,7 @@
             seq.matchLength += BIT_readBitsFast(&seqState->DStream, mlBits/*>0*/);
 
-        if (MEM_32bits() && (mlBits+llBits >= STREAM_ACCUMULATOR_MIN_32-LONG_OFFSETS_MAX_EXTRA_BITS_32))
+        if (BIT_CONTAINER_32 && (mlBits+llBits >= STREAM_ACCUMULATOR_MIN_32-LONG_OFFSETS_MAX_EXTRA_BITS_32))
             BIT_reloadDStream(&seqState->DStream);
-        if (MEM_64bits() && UNLIKELY(totalBits >= STREAM_ACCUMULATOR_MIN_64-(LLFSELog+MLFSELog+OffFSELog)))
+        if (BIT_CONTAINER_64 && UNLIKELY(totalBits >= STREAM_ACCUMULATOR_MIN_64-(LLFSELog+MLFSELog+OffFSELog)))
             BIT_reloadDStream(&seqState->DStream);
         /* Ensure there are enough bits to read the rest of data in 64-bit mode. */
@@ -1327,5 +1327,5 @@
             seq.litLength += BIT_readBitsFast(&seqState->DStream, llBits/*>0*/);
 
-        if (MEM_32bits())
+        if (BIT_CONTAINER_32)
             BIT_reloadDStream(&seqState->DStream);
 
@@ -1337,5 +1337,5 @@
             ZSTD_updateFseStateWithDInfo(&seqState->stateLL, &seqState->DStream, llNext, llnbBits);    /* <=  9 bits */
             ZSTD_updateFseStateWithDInfo(&seqState->stateML, &seqState->DStream, mlNext, mlnbBits);    /* <=  9 bits */
-            if (MEM_32bits()) BIT_reloadDStream(&seqState->DStream);    /* <= 18 bits */
+            if (BIT_CONTAINER_32) BIT_reloadDStream(&seqState->DStream);    /* <= 18 bits */
             ZSTD_updateFseStateWithDInfo(&seqState->stateOffb, &seqState->DStream, ofNext, ofnbBits);  /* <=  8 bits */
             BIT_reloadDStream(&seqState->DStream);
@@ -2045,5 +2045,5 @@
 static size_t ZSTD_maxShortOffset(void)
 {
-    if (MEM_64bits()) {
+    if (BIT_CONTAINER_64) {
         /* We can decode any offset without reloading bits.
          * This might change if the max window size grows.
@@ -2107,5 +2107,5 @@
          * if it is even possible to generate long offsets.
          */
-        ZSTD_longOffset_e isLongOffset = (ZSTD_longOffset_e)(MEM_32bits() && (totalHistorySize > ZSTD_maxShortOffset()));
+        ZSTD_longOffset_e isLongOffset = (ZSTD_longOffset_e)(BIT_CONTAINER_32 && (totalHistorySize > ZSTD_maxShortOffset()));
         /* These macros control at build-time which decompressor implementation
          * we use. If neither is defined, we do some inspection and dispatch at
EOF
fi

# 2. A libc's worth of headers and functions: only what the decompressor uses.
SHIM="$WORK/shim"
mkdir -p "$SHIM/include"
cat >"$SHIM/include/string.h" <<'EOF'
#pragma once
#include <stddef.h>
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
EOF
cat >"$SHIM/include/stdlib.h" <<'EOF'
#pragma once
#include <stddef.h>
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void free(void *pointer);
EOF
cat >"$SHIM/include/assert.h" <<'EOF'
#pragma once
#define assert(condition) ((void)0)
EOF
cat >"$SHIM/include/stdio.h" <<'EOF'
#pragma once
EOF
cat >"$SHIM/libc.c" <<'EOF'
/* malloc/calloc/free and the mem* functions for zstd's decompressor on bare wasm32.
 * Blocks are 16-byte aligned, with a 16-byte header holding the block's size; free blocks are
 * kept in an address-ordered list, coalesced with their neighbours, and a free block at the top
 * of the heap is given back to it. Enough for a decoder that allocates a context and two
 * buffers that grow rarely. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

#define ALIGN 16u
#define HEADER 16u
#define MIN_SPLIT 64u

typedef struct Block {
  size_t size; /* of the whole block, header included */
  struct Block *next; /* when free */
} Block;

extern unsigned char __heap_base;
static uintptr_t top; /* end of the used part of the heap */
static Block *freeList;

static int reserve(uintptr_t end) {
  uintptr_t have = (uintptr_t)__builtin_wasm_memory_size(0) * 65536u;
  if (end <= have) return 1;
  uintptr_t pages = (end - have + 65535u) / 65536u;
  return __builtin_wasm_memory_grow(0, pages) != (size_t)-1;
}

void *malloc(size_t size) {
  if (size > 0x7fff0000u) return NULL;
  size_t need = (size + HEADER + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  Block **link = &freeList;
  for (Block *b = freeList; b != NULL; link = &b->next, b = b->next) {
    if (b->size < need) continue;
    if (b->size - need >= MIN_SPLIT) {
      Block *rest = (Block *)((unsigned char *)b + need);
      rest->size = b->size - need;
      rest->next = b->next;
      *link = rest;
      b->size = need;
    } else {
      *link = b->next;
    }
    return (unsigned char *)b + HEADER;
  }
  if (top == 0) top = ((uintptr_t)&__heap_base + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
  uintptr_t end = top + need;
  if (end < top || !reserve(end)) return NULL;
  Block *b = (Block *)top;
  b->size = need;
  top = end;
  return (unsigned char *)b + HEADER;
}

void free(void *pointer) {
  if (pointer == NULL) return;
  Block *b = (Block *)((unsigned char *)pointer - HEADER);
  Block *prev = NULL, *next = freeList;
  while (next != NULL && next < b) {
    prev = next;
    next = next->next;
  }
  if (next != NULL && (unsigned char *)b + b->size == (unsigned char *)next) {
    b->size += next->size;
    next = next->next;
  }
  b->next = next;
  if (prev != NULL && (unsigned char *)prev + prev->size == (unsigned char *)b) {
    prev->size += b->size;
    prev->next = b->next;
    b = prev;
  } else if (prev != NULL) {
    prev->next = b;
  } else {
    freeList = b;
  }
  if ((uintptr_t)b + b->size == top) { /* the last free block: back to the heap's top */
    top = (uintptr_t)b;
    if (freeList == b) {
      freeList = NULL;
    } else {
      Block *p = freeList;
      while (p->next != b) p = p->next;
      p->next = NULL;
    }
  }
}

void *calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return NULL;
  void *p = malloc(count * size);
  if (p != NULL) __builtin_memset(p, 0, count * size);
  return p;
}

/* With -mbulk-memory the builtins below are memory.copy / memory.fill. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  return __builtin_memcpy(dst, src, n);
}
void *memmove(void *dst, const void *src, size_t n) { return __builtin_memmove(dst, src, n); }
void *memset(void *dst, int c, size_t n) { return __builtin_memset(dst, c, n); }
int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++) {
    if (x[i] != y[i]) return x[i] - y[i];
  }
  return 0;
}
EOF

TARGET_FLAGS=(--target=wasm32 -mbulk-memory -nostdlib)
CFLAGS=(
  -O3 -flto -std=c11 -fno-stack-protector -fvisibility=hidden
  -isystem "$SHIM/include" "-ffile-prefix-map=$WORK/="
  -DNDEBUG -DDEBUGLEVEL=0 -DZSTD_LEGACY_SUPPORT=0 -DZSTD_DISABLE_ASM -DZSTD_NO_INTRINSICS
  -DZSTD_STRIP_ERROR_STRINGS -DZSTD_TRACE=0 -DDYNAMIC_BMI2=0
)
if [[ "$PATCHED" == 1 ]]; then CFLAGS+=(-DZSTD_BITSTREAM_U64); fi
SOURCES=(
  "$LIB/common/entropy_common.c" "$LIB/common/error_private.c" "$LIB/common/fse_decompress.c"
  "$LIB/common/xxhash.c" "$LIB/common/zstd_common.c"
  "$LIB/decompress/huf_decompress.c" "$LIB/decompress/zstd_ddict.c"
  "$LIB/decompress/zstd_decompress.c" "$LIB/decompress/zstd_decompress_block.c"
)
OBJS=()
for source in "${SOURCES[@]}"; do
  object="$WORK/$(basename "$source" .c).o"
  "$CLANG" "${TARGET_FLAGS[@]}" "${CFLAGS[@]}" -c "$source" -o "$object"
  OBJS+=("$object")
done
# The allocator and mem* are a native (non-LTO) object: functions the code generator may call
# (memcpy, memset) must not be dropped or internalized by LTO before it runs.
"$CLANG" "${TARGET_FLAGS[@]}" -O2 -std=c11 -isystem "$SHIM/include" -c "$SHIM/libc.c" -o "$WORK/libc.o"
OBJS+=("$WORK/libc.o")

# 3. Link.
WASM="$WORK/zstd.wasm"
"$WASM_LD" --no-entry --strip-all --gc-sections --lto-O3 -O3 --stack-first \
  -z stack-size=131072 --initial-memory=1048576 --max-memory=67108864 \
  --export=malloc --export=free --export=ZSTD_createDCtx --export=ZSTD_freeDCtx \
  --export=ZSTD_decompressDCtx --export=ZSTD_isError \
  "${OBJS[@]}" -o "$WASM"

# 4. The TypeScript module.
SIZE="$(stat -c %s "$WASM")"
WASM_SHA256="$(sha256sum "$WASM" | cut -d' ' -f1)"
CLANG_VERSION="$("$CLANG" --version | head -n 1)"
if [[ "$PATCHED" == 1 ]]; then
  PATCH_NOTE="Patched by the script for 64-bit bit containers on wasm32 (ZSTD_BITSTREAM_U64)."
else
  PATCH_NOTE="Unpatched (ZSTD_WASM_PATCH=0)."
fi
{
  cat <<EOF
// Generated by scripts/build_zstd_wasm.sh; do not edit (run the script instead).
//
// zstd ${ZSTD_VERSION}'s decompressor (lib/common + lib/decompress; no compressor, no legacy
// formats, no ASM) with a small allocator, compiled to WebAssembly (wasm32, -O3 -flto, bulk
// memory) by ${CLANG_VERSION}.
// ${PATCH_NOTE}
// Sources: the crates.io crate zstd-sys ${ZSTD_SYS_VERSION} (its zstd/lib),
// sha256 ${ZSTD_SYS_SHA256}.
// Module: ${SIZE} bytes, sha256 ${WASM_SHA256}.
// Exports: memory, malloc, free, ZSTD_createDCtx, ZSTD_freeDCtx, ZSTD_decompressDCtx, ZSTD_isError.
//
// zstd is dual-licensed (BSD or GPLv2); it is used here under its BSD license:
//
EOF
  sed 's|^|// |; s| *$||' "$SRC/LICENSE"
  cat <<EOF

/** The zstd decompressor as a WebAssembly module, base64. */
export const ZSTD_WASM_BASE64 =
  "$(base64 -w 0 "$WASM")";
EOF
} >"$OUT.part"
mv "$OUT.part" "$OUT"
say "wrote ${OUT#"$ROOT"/} (module ${SIZE} bytes, sha256 ${WASM_SHA256})"
