// Package openapi embeds the Token Server's OpenAPI 3 document
// (openapi.yaml, kept in the repository) and serves it.
package openapi
