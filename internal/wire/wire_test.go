package wire

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/talkifai-go/talkifai/agents"
)

func TestNewPagination(t *testing.T) {
	t.Parallel()
	tests := []struct {
		page, limit, total int
		want               Pagination
	}{
		{1, 20, 0, Pagination{1, 20, 0, false, false}},
		{1, 50, 342, Pagination{1, 50, 342, true, false}},
		{2, 50, 342, Pagination{2, 50, 342, true, true}},
		{7, 50, 342, Pagination{7, 50, 342, false, true}},
		{2, 50, 100, Pagination{2, 50, 100, false, true}},
		{9, 50, 100, Pagination{9, 50, 100, false, true}},
		{1, 1, 1, Pagination{1, 1, 1, false, false}},
		{1, 1, 2, Pagination{1, 1, 2, true, false}},
		{461168601842738791, 20, 45, Pagination{461168601842738791, 20, 45, false, true}}, // page*limit overflows
		{math.MaxInt, 100, math.MaxInt, Pagination{math.MaxInt, 100, math.MaxInt, false, true}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, NewPagination(tt.page, tt.limit, tt.total)); diff != "" {
			t.Errorf("NewPagination(%d, %d, %d) (-want +got):\n%s", tt.page, tt.limit, tt.total, diff)
		}
	}
}

func TestCodeForStatus(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]string{
		401: CodeUnauthorized, 404: CodeNotFound, 429: CodeRateLimited, 500: CodeInternal,
		502: CodeBadGateway, 503: CodeServiceUnavailable, 504: CodeGatewayTimeout,
		400: CodeInjectedFault, 418: CodeInjectedFault, 507: CodeInjectedFault,
	} {
		if got := CodeForStatus(status); got != want {
			t.Errorf("CodeForStatus(%d) = %s, want %s", status, got, want)
		}
	}
}

// TestEnvelopes covers contract section 2: exactly the documented keys, and
// details absent (not null, not []) on errors other than VALIDATION_ERROR.
func TestEnvelopes(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)
	a := agents.Agent{ID: "agent_1", Name: "n", Architecture: agents.Text, Active: true, CreatedAt: at}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"created", Response[Created]{true, NewCreated(a)},
			`{"success":true,"data":{"id":"agent_1","name":"n","agentArchitecture":"text","active":true,"createdAt":"2024-01-15T10:30:00.000Z"}}`},
		{"list", ListResponse[agents.Summary]{true, []agents.Summary{}, NewPagination(2, 50, 342)},
			`{"success":true,"data":[],"pagination":{"page":2,"limit":50,"total":342,"hasNext":true,"hasPrev":true}}`},
		{"deleted", Response[Deleted]{true, Deleted{DeletedMessage}},
			`{"success":true,"data":{"message":"Agent deleted successfully"}}`},
		{"error", ErrorResponse{Error: "no such agent", Code: CodeNotFound},
			`{"success":false,"error":"no such agent","code":"NOT_FOUND"}`},
		{"validation error", ErrorResponse{Error: "invalid", Code: CodeValidation, Details: []agents.FieldError{{Field: "stt", Code: "required", Message: "m"}}},
			`{"success":false,"error":"invalid","code":"VALIDATION_ERROR","details":[{"field":"stt","code":"required","message":"m"}]}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, string(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
