package rules

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// decoder reads a TOML file into a Config one key at a time, so that one
// pass finds every problem: a wrong type for one key does not hide the
// others, as it does with toml.Decode into the whole struct. Keys are
// matched exactly, as TOML defines them (case-sensitive): BurntSushi/toml
// on its own also accepts "Refused_Action" for refused_action.
type decoder struct {
	name, src string
	md        toml.MetaData
	problems  []string
}

// decode fills cfg from src. A syntax error stops it (nothing after it can
// be read reliably); every other problem is collected.
func (d *decoder) decode(cfg *Config) error {
	var top map[string]toml.Primitive
	md, err := toml.Decode(d.src, &top)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s:%d: %s", d.name, pe.Position.Line, pe.Message)
		}
		return fmt.Errorf("%s: %w", d.name, err)
	}
	d.md = md
	d.table(nil, top, reflect.ValueOf(cfg).Elem())
	return nil
}

// table decodes the keys of one TOML table into the struct v.
func (d *decoder) table(path []string, keys map[string]toml.Primitive, v reflect.Value) {
	fields := map[string]reflect.Value{}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("toml"); tag != "" {
			fields[tag] = v.Field(i)
		}
	}
	for _, k := range tableKeys(keys) {
		key := append(append([]string(nil), path...), k)
		f, ok := fields[k]
		if !ok {
			d.bad(key, "unknown key%s", suggest(k, fields))
			continue
		}
		d.value(key, keys[k], f)
	}
}

// value decodes one key into f: tables of structs and maps key by key,
// anything else whole.
func (d *decoder) value(key []string, p toml.Primitive, f reflect.Value) {
	_, text := f.Addr().Interface().(interface{ UnmarshalText([]byte) error })
	switch {
	case f.Kind() == reflect.Struct && !text:
		var sub map[string]toml.Primitive
		// PrimitiveDecode leaves a map alone, without an error, when the
		// value is not a table: ask the type first.
		if err := d.md.PrimitiveDecode(p, &sub); err != nil || !d.isTable(key) {
			d.bad(key, "expected a table ([%s]), got %s", strings.Join(key, "."), d.tomlType(key))
			return
		}
		d.table(key, sub, f)
	case f.Kind() == reflect.Map:
		var sub map[string]toml.Primitive
		if err := d.md.PrimitiveDecode(p, &sub); err != nil || !d.isTable(key) {
			d.bad(key, "expected a table, got %s", d.tomlType(key))
			return
		}
		m := reflect.MakeMap(f.Type())
		for _, k := range tableKeys(sub) {
			e := reflect.New(f.Type().Elem()).Elem()
			ek := append(append([]string(nil), key...), k)
			if d.leaf(ek, sub[k], e) {
				m.SetMapIndex(reflect.ValueOf(k), e)
			}
		}
		f.Set(m)
	default:
		d.leaf(key, p, f)
	}
}

// isTable: the value at key is a table, defined or implied by a
// [key.sub] header (which has no type of its own in the metadata).
func (d *decoder) isTable(key []string) bool {
	t := d.md.Type(key...)
	return t == "Hash" || t == ""
}

// leaf decodes a value that is not a table; on a type error f keeps its
// default.
func (d *decoder) leaf(key []string, p toml.Primitive, f reflect.Value) bool {
	tmp := reflect.New(f.Type())
	if err := d.md.PrimitiveDecode(p, tmp.Interface()); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			d.bad(key, "%s", pe.Message) // UnmarshalText's own words (Duration)
		} else {
			d.bad(key, "expected %s, got %s", goType(f.Type()), d.tomlType(key))
		}
		return false
	}
	f.Set(tmp.Elem())
	return true
}

// bad records a problem as FILE:LINE: KEY: message.
func (d *decoder) bad(key []string, format string, a ...any) {
	k := toml.Key(key).String()
	d.problems = append(d.problems, fmt.Sprintf("%s: %s: %s", where(d.name, d.src, k), k, fmt.Sprintf(format, a...)))
}

// tomlType names the TOML type of the value at key, as an admin reads it.
func (d *decoder) tomlType(key []string) string {
	switch t := d.md.Type(key...); t {
	case "Integer":
		return "a number"
	case "String":
		return "a string"
	case "Array":
		return "a list"
	case "Hash":
		return "a table"
	case "Bool":
		return "true/false"
	case "":
		return "nothing"
	default:
		return strings.ToLower(t)
	}
}

// goType says what a Go type expects in TOML words.
func goType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(goType(t.Elem()), "a ") + "s"
	case reflect.Struct:
		return "a string such as \"30s\""
	}
	return t.String()
}

// suggest names the key meant when k differs from one only in case.
func suggest(k string, fields map[string]reflect.Value) string {
	for name := range fields {
		if strings.EqualFold(name, k) {
			return fmt.Sprintf(" (keys are case-sensitive: %q)", name)
		}
	}
	return ""
}

func tableKeys(m map[string]toml.Primitive) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lineOf is the line number a problem names (0 when it names none).
func lineOf(problem, name string) int {
	n, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(problem, name+":"), ":", 2)[0])
	return n
}

// where names the file and, when the key can be found, its line: the TOML
// library reports positions only for syntax errors.
func where(name, src string, key string) string {
	for k := key; k != ""; {
		if n := KeyLine(src, k); n > 0 {
			return fmt.Sprintf("%s:%d", name, n)
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return name
}

// KeyLine finds the line of src assigning a dotted key (or opening the
// table of that name), tracking [table] headers; 0 when it finds none.
func KeyLine(src, key string) int {
	table := ""
	for i, line := range strings.Split(src, "\n") {
		l := strings.TrimSpace(line)
		if strings.HasPrefix(l, "[") {
			table = strings.Trim(strings.TrimSpace(strings.Trim(l, "[]")), "\"")
			table = strings.ReplaceAll(table, " ", "")
			if table == key {
				return i + 1
			}
			continue
		}
		k, _, ok := strings.Cut(l, "=")
		if !ok {
			continue
		}
		full := strings.Trim(strings.TrimSpace(k), "\"")
		if table != "" {
			full = table + "." + full
		}
		if full == key {
			return i + 1
		}
	}
	return 0
}
