// Blobs are added here as `#embed "data/NAME"` arrays; see include/CEmbeddedData.h.
#include "CEmbeddedData.h"

// --- Pricing: the bundled model catalog (written by `tokenmin prices import`; see Sources/Pricing).
static const unsigned char tm_model_catalog_bytes[] = {
#embed "data/model-catalog.json"
};
tm_blob tm_model_catalog(void) { return (tm_blob){tm_model_catalog_bytes, sizeof tm_model_catalog_bytes}; }
// --- end Pricing.
