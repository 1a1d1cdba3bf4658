// Data compiled into the tokenmin binary with C23 `#embed`, so that the executable is self-contained
// (no resource bundle beside it). Each blob is exposed as a pointer and a byte count; Swift wraps them
// in `UnsafeRawBufferPointer` without copying.
#ifndef TOKENMIN_EMBEDDED_DATA_H
#define TOKENMIN_EMBEDDED_DATA_H
#include <stddef.h>

/// A read-only byte range that lives for the whole process.
typedef struct {
    const unsigned char *bytes;
    size_t count;
} tm_blob;

// --- Pricing: the model catalog JSON (format documented in Sources/Pricing/ModelCatalog.swift).
tm_blob tm_model_catalog(void);
// --- end Pricing.

#endif
