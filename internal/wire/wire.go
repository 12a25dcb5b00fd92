package wire

import (
	"encoding/json"
	"time"

	"github.com/talkifai-go/talkifai/agents"
	"github.com/talkifai-go/talkifai/internal/rules"
)

// Paths.
const (
	// AgentsPath is the collection path; one agent is AgentsPath + "/" + id.
	AgentsPath = "/v1/agents"
	// DefaultBaseURL is the real service's base URL (without /v1: every
	// path above carries it).
	DefaultBaseURL = "https://api.talkifai.dev"
)

// Header names.
const (
	HeaderAuthorization      = "Authorization"
	HeaderAPIKey             = "X-API-Key"
	HeaderContentType        = "Content-Type"
	HeaderRequestID          = "X-Request-Id"
	HeaderIdempotencyKey     = "Idempotency-Key"
	HeaderIdempotentReplayed = "Idempotent-Replayed"
	HeaderRetryAfter         = "Retry-After"
	HeaderRateLimitLimit     = "X-RateLimit-Limit"
	HeaderRateLimitRemaining = "X-RateLimit-Remaining"
	HeaderRateLimitReset     = "X-RateLimit-Reset"
	HeaderAllow              = "Allow"
	// HeaderRetryCount carries the attempt number of a retried request
	// (0 on the first), so that a server can count retries. The client
	// sends it; the real service ignores it.
	HeaderRetryCount = "X-Talkifai-Retry-Count"
)

// Query parameters of GET /v1/agents, and their defaults.
const (
	QueryMode    = "mode"
	QueryPage    = "page"
	QueryLimit   = "limit"
	DefaultLimit = 20
	MaxLimit     = 100 // a larger limit is served as MaxLimit
)

// MaxBodyBytes is the largest request body the API accepts (1 MiB).
const MaxBodyBytes = 1 << 20

// MaxIdempotencyKeyLength is the longest Idempotency-Key accepted.
const MaxIdempotencyKeyLength = 255

// ContentTypeJSON is the content type of every body; PATCH also takes
// ContentTypeMergePatch.
const (
	ContentTypeJSON       = "application/json"
	ContentTypeMergePatch = "application/merge-patch+json"
)

// DeletedMessage is the message of a successful DELETE.
const DeletedMessage = "Agent deleted successfully"

// Error codes of the error envelope.
const (
	CodeInvalidJSON          = "INVALID_JSON"
	CodeValidation           = "VALIDATION_ERROR"
	CodeInvalidParameter     = "INVALID_PARAMETER"
	CodeUnauthorized         = "UNAUTHORIZED"
	CodeForbidden            = "FORBIDDEN"
	CodeNotFound             = "NOT_FOUND"
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	CodeIdempotencyConflict  = "IDEMPOTENCY_CONFLICT"
	CodePayloadTooLarge      = "PAYLOAD_TOO_LARGE"
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	CodeRateLimited          = "RATE_LIMITED"
	CodeInternal             = "INTERNAL_ERROR"
	CodeBadGateway           = "BAD_GATEWAY"
	CodeServiceUnavailable   = "SERVICE_UNAVAILABLE"
	CodeGatewayTimeout       = "GATEWAY_TIMEOUT"
	// CodeInjectedFault answers an injected status that has no code of its
	// own in the API. Only the fake sends it.
	CodeInjectedFault = "INJECTED_FAULT"
)

// statusCodes maps the statuses that have exactly one code. 400 has
// several (INVALID_JSON, VALIDATION_ERROR, INVALID_PARAMETER) and is not here.
var statusCodes = map[int]string{
	401: CodeUnauthorized,
	403: CodeForbidden,
	404: CodeNotFound,
	405: CodeMethodNotAllowed,
	409: CodeIdempotencyConflict,
	413: CodePayloadTooLarge,
	415: CodeUnsupportedMediaType,
	429: CodeRateLimited,
	500: CodeInternal,
	502: CodeBadGateway,
	503: CodeServiceUnavailable,
	504: CodeGatewayTimeout,
}

// CodeForStatus returns the error code that goes with an HTTP status, or
// CodeInjectedFault for a status without one of its own (400 included).
func CodeForStatus(status int) string {
	if c, ok := statusCodes[status]; ok {
		return c
	}
	return CodeInjectedFault
}

// Response is the success envelope of one item.
type Response[T any] struct {
	Success bool `json:"success"`
	Data    T    `json:"data"`
}

// ListResponse is the success envelope of a list page.
type ListResponse[T any] struct {
	Success    bool       `json:"success"`
	Data       []T        `json:"data"`
	Pagination Pagination `json:"pagination"`
}

// Pagination describes one list page.
type Pagination struct {
	Page    int  `json:"page"`
	Limit   int  `json:"limit"`
	Total   int  `json:"total"`
	HasNext bool `json:"hasNext"`
	HasPrev bool `json:"hasPrev"`
}

// NewPagination returns the pagination of page (from 1) of limit (from 1)
// items out of total: hasNext is page*limit < total, hasPrev is page > 1.
// It holds for pages so large that page*limit overflows an int.
func NewPagination(page, limit, total int) Pagination {
	// page*limit < total, without the multiplication: page < ceil(total/limit).
	hasNext := total > 0 && page < (total-1)/limit+1
	return Pagination{Page: page, Limit: limit, Total: total, HasNext: hasNext, HasPrev: page > 1}
}

// ErrorResponse is the error envelope. Details is set on VALIDATION_ERROR
// only and absent otherwise.
type ErrorResponse struct {
	Success bool                `json:"success"`
	Error   string              `json:"error"`
	Code    string              `json:"code"`
	Details []agents.FieldError `json:"details,omitempty"`
}

// Created is the data of a 201 from POST /v1/agents: exactly the five
// fields the published reference returns.
type Created struct {
	ID           string              `json:"id"`
	Name         string              `json:"name"`
	Architecture agents.Architecture `json:"agentArchitecture"`
	Active       bool                `json:"active"`
	CreatedAt    time.Time           `json:"createdAt"`
}

// NewCreated returns the create response for a.
func NewCreated(a agents.Agent) Created {
	return Created{ID: a.ID, Name: a.Name, Architecture: a.Architecture, Active: a.Active, CreatedAt: a.CreatedAt}
}

// MarshalJSON encodes c with its timestamp in rules.TimeFormat.
func (c Created) MarshalJSON() ([]byte, error) {
	type plain Created
	return json.Marshal(struct {
		plain
		CreatedAt string `json:"createdAt"`
	}{plain(c), rules.FormatTime(c.CreatedAt)})
}

// Deleted is the data of a 200 from DELETE.
type Deleted struct {
	Message string `json:"message"`
}
