package registry

import _ "embed"

// OpenAPI is the registry's fragment of the API document (paths and
// components); the app merges it into its base document.
//
//go:embed openapi.yaml
var OpenAPI []byte
