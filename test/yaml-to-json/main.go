// yaml-to-json: Kubernetes' own reading of a manifest file, for the differential test of the
// engine's loader. It reads a JSON array of file texts on stdin and writes, for each, the list
// of its documents, read as kubectl's resource builder reads a file (cli-runtime's
// StreamVisitor over apimachinery's NewYAMLOrJSONDecoder, kubectl 1.27 to 1.32):
//   - a leading UTF-8 byte order mark is dropped (FileVisitor's BOMOverride decoder);
//   - when the first non-space character of the first 4096 bytes (unicode.IsSpace) is "{",
//     the file is a stream of JSON values read by encoding/json's Decoder; each value is
//     decoded as apimachinery decodes an object (integers as int64, other numbers as float64);
//   - otherwise the file is cut into parts at lines as YAMLReader cuts it: lines as
//     bufio.Reader.ReadLine returns them ("\r\n" and "\n" end a line, each line then ends in
//     "\n"); a line that starts with "---" is a separator when the rest, trimmed of spaces,
//     is empty or starts with "#" (it ends the part before it and is dropped, or, when no line
//     is read since the last separator, starts the next part), and any other such line refuses
//     the file ("invalid Yaml document separator"); each part is converted with sigs.k8s.io/yaml, whose Unmarshal reads
//     the first YAML document of its input only (gopkg.in/yaml.v2's Unmarshal).
// The apimachinery code is not in Debian; its reading is restated here over the standard library.
// A null document is reported as null (the test drops it, as kubectl skips it). "fatal" marks
// where kubectl stops reading the file.
//
// Built offline from Debian's golang-go and golang-k8s-sigs-yaml-dev in GOPATH mode:
//   GO111MODULE=off GOPATH=/usr/share/gocode go build -o yaml-to-json main.go
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"os"
	"reflect"
	"strings"
	"unicode"
	_ "unsafe" // go:linkname

	yaml "gopkg.in/yaml.v2"
	sigsyaml "sigs.k8s.io/yaml"
)

// YAMLToJSON's conversion of a decoded YAML value, used after yaml.Unmarshal of one part.
//go:linkname convertToJSONableObject sigs.k8s.io/yaml.convertToJSONableObject
func convertToJSONableObject(yamlObj interface{}, jsonTarget *reflect.Value) (interface{}, error)

var _ = sigsyaml.YAMLToJSON

// result is one document: its JSON, or why it cannot be read (fatal: kubectl stops there).
type result struct {
	JSON  json.RawMessage `json:"json,omitempty"`
	Error string          `json:"error,omitempty"`
	Fatal bool            `json:"fatal,omitempty"`
}

func documents(file string) []result {
	data := bytes.TrimPrefix([]byte(file), []byte("\xef\xbb\xbf"))
	if readsAsJSON(data) {
		return jsonDocuments(data)
	}
	return yamlDocuments(data)
}

// readsAsJSON is GuessJSONStream's sniffing with kubectl's 4096-byte buffer.
func readsAsJSON(data []byte) bool {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	return bytes.HasPrefix(bytes.TrimLeftFunc(head, unicode.IsSpace), []byte("{"))
}

func jsonDocuments(data []byte) []result {
	out := []result{}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return out
		}
		if err != nil {
			return append(out, result{Error: err.Error(), Fatal: true})
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		out = append(out, objectJSON(raw))
	}
}

// objectJSON decodes one JSON value as apimachinery's unstructured decoding does and writes it back.
func objectJSON(raw []byte) result {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v interface{}
	if err := dec.Decode(&v); err != nil {
		return result{Error: err.Error()}
	}
	v, err := numbers(v)
	if err != nil {
		return result{Error: err.Error()}
	}
	j, err := json.Marshal(v)
	if err != nil {
		return result{Error: err.Error()}
	}
	return result{JSON: j}
}

func numbers(v interface{}) (interface{}, error) {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i, nil
		}
		f, err := v.Float64()
		if err != nil {
			return nil, fmt.Errorf("cannot unmarshal number %s into Go value of type float64", v)
		}
		return f, nil
	case map[string]interface{}:
		for k, item := range v {
			converted, err := numbers(item)
			if err != nil {
				return nil, err
			}
			v[k] = converted
		}
	case []interface{}:
		for i, item := range v {
			converted, err := numbers(item)
			if err != nil {
				return nil, err
			}
			v[i] = converted
		}
	}
	return v, nil
}

// line is the next line as YAMLReader's LineReader returns it: ReadLine's pieces joined, then "\n".
func line(r *bufio.Reader) ([]byte, error) {
	var buffer bytes.Buffer
	for {
		piece, more, err := r.ReadLine()
		buffer.Write(piece)
		if err != nil || !more {
			buffer.WriteByte('\n')
			return buffer.Bytes(), err
		}
	}
}

func yamlDocuments(data []byte) []result {
	out := []result{}
	r := bufio.NewReader(bytes.NewReader(data))
	var part bytes.Buffer
	for {
		l, err := line(r)
		if err != nil && err != io.EOF {
			panic(err)
		}
		if bytes.HasPrefix(l, []byte("---")) {
			rest := strings.TrimSpace(string(l[3:]))
			if rest != "" && rest[0] != '#' {
				return append(out, result{Error: "invalid Yaml document separator: " + rest, Fatal: true})
			}
			// A separator ends the part read so far and is dropped; one that starts a part
			// (the file's first line, or the next of two separators) is kept in it.
			if part.Len() != 0 {
				document, fatal := yamlPart(part.Bytes())
				out = append(out, document)
				if fatal {
					return out
				}
				part.Reset()
				continue
			}
		}
		if err == io.EOF {
			if part.Len() != 0 {
				document, _ := yamlPart(part.Bytes())
				out = append(out, document)
			}
			return out
		}
		part.Write(l)
	}
}

// yamlPart is sigs.k8s.io/yaml's reading of one part: its first YAML document, converted to JSON.
func yamlPart(part []byte) (result, bool) {
	var doc interface{}
	if err := yaml.Unmarshal(part, &doc); err != nil {
		return result{Error: err.Error(), Fatal: true}, true
	}
	converted, err := convertToJSONableObject(doc, nil)
	var j []byte
	if err == nil {
		j, err = json.Marshal(converted)
	}
	if err != nil {
		return result{Error: err.Error()}, false
	}
	return result{JSON: j}, false
}

func main() {
	in, err := ioutil.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	var files []string
	if err := json.Unmarshal(in, &files); err != nil {
		panic(err)
	}
	all := make([][]result, len(files))
	for i, f := range files {
		all[i] = documents(f)
	}
	if err := json.NewEncoder(os.Stdout).Encode(all); err != nil {
		panic(err)
	}
}
