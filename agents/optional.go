package agents

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
)

// state says which of its three states an [Optional] is in. The zero value
// is unset, so the zero Optional is "absent".
type state uint8

const (
	unset state = iota
	null
	set
)

// Optional is a field that can be absent, explicitly null, or hold a value.
// It is what lets a PATCH body say "leave it", "clear it" and "set it", and
// a create body tell "temperature 0" from "no temperature".
//
// The zero value is absent; tag fields `json:",omitzero"` so that encoding
// omits them. [Null] encodes as JSON null and [Value] as the value. Decoding
// keeps the three apart: a missing key leaves the field absent, null makes it
// null, anything else is decoded into T.
//
// Optional is a small value type: copy it freely.
type Optional[T any] struct {
	value T
	state state
}

// Value returns an Optional that holds v.
func Value[T any](v T) Optional[T] { return Optional[T]{value: v, state: set} }

// Null returns an Optional that is explicitly null: in a PATCH, "clear this
// field".
func Null[T any]() Optional[T] { return Optional[T]{state: null} }

// IsZero reports whether o is absent. encoding/json calls it for fields
// tagged omitzero.
func (o Optional[T]) IsZero() bool { return o.state == unset }

// IsNull reports whether o is explicitly null.
func (o Optional[T]) IsNull() bool { return o.state == null }

// IsSet reports whether o holds a value.
func (o Optional[T]) IsSet() bool { return o.state == set }

// Get returns the value and true, or the zero T and false when o is absent
// or null.
func (o Optional[T]) Get() (T, bool) { return o.value, o.state == set }

// Or returns the value, or def when o is absent or null.
func (o Optional[T]) Or(def T) T {
	if o.state == set {
		return o.value
	}
	return def
}

// String describes o for debugging: "absent", "null" or the value as JSON
// ("?" for a value that JSON cannot encode, such as NaN).
func (o Optional[T]) String() string {
	switch o.state {
	case unset:
		return "absent"
	case null:
		return "null"
	}
	b, err := json.Marshal(o.value)
	if err != nil {
		return "?"
	}
	return string(b)
}

// MarshalJSON encodes the value, or null when o is null or absent (absent
// fields are normally left out by omitzero before this is called). It fails
// as encoding/json does for a value JSON cannot hold, such as a NaN or
// infinite float64.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if o.state != set {
		return []byte("null"), nil
	}
	return json.Marshal(o.value)
}

// UnmarshalJSON decodes JSON null as [Null] and anything else as a value of
// T. It fails, leaving o unchanged, when the JSON does not fit T, and
// returns a *json.UnmarshalTypeError for a null item of an array whose items
// cannot be null (a null in a []string is not a string).
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*o = Null[T]()
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if err := nullItem[T](b); err != nil {
		return err
	}
	*o = Value(v)
	return nil
}

// nullItem returns an error naming the first null item of the JSON array b
// when T is a slice or array of a type that cannot be null, and nil
// otherwise. encoding/json would decode such an item as the zero value:
// ["a", null] as ["a", ""], which the rules would then call too short,
// while the item is of the wrong type (package validate says wrong_type).
func nullItem[T any](b []byte) error {
	t := reflect.TypeFor[T]()
	if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
		return nil
	}
	switch t.Elem().Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
		return nil // null is a value of these
	}
	var items []json.RawMessage
	if json.Unmarshal(b, &items) != nil {
		return nil // not an array: T has an UnmarshalJSON of its own
	}
	for i, item := range items {
		if string(item) == "null" {
			return &json.UnmarshalTypeError{Value: "null", Type: t.Elem(), Field: strconv.Itoa(i)}
		}
	}
	return nil
}
