// Blobs are added here as `#embed "data/NAME"` arrays; see include/CEmbeddedData.h.
#include "CEmbeddedData.h"
