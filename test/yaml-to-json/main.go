// yaml-to-json: Kubernetes' own reading of YAML, for the differential test of the engine's
// loader. It reads a JSON array of YAML streams on stdin and writes, for each stream, the
// list of its documents: gopkg.in/yaml.v2's Decoder reads them one by one (as
// yaml.Unmarshal reads one) and each goes through sigs.k8s.io/yaml's conversion and
// encoding/json exactly as sigs.k8s.io/yaml.YAMLToJSON does.
//
// Built offline from Debian's golang-go and golang-k8s-sigs-yaml-dev in GOPATH mode:
//   GO111MODULE=off GOPATH=/usr/share/gocode go build -o yaml-to-json main.go
package main

import (
	"bytes"
	"encoding/json"
	"io"
	"io/ioutil"
	"os"
	"reflect"
	_ "unsafe" // go:linkname

	yaml "gopkg.in/yaml.v2"
	sigsyaml "sigs.k8s.io/yaml"
)

// YAMLToJSON converts one document; a stream's documents need its conversion one by one.
//go:linkname convertToJSONableObject sigs.k8s.io/yaml.convertToJSONableObject
func convertToJSONableObject(yamlObj interface{}, jsonTarget *reflect.Value) (interface{}, error)

var _ = sigsyaml.YAMLToJSON

// result is one document: its JSON, or why it cannot be converted (fatal: go-yaml stopped there).
type result struct {
	JSON  json.RawMessage `json:"json,omitempty"`
	Error string          `json:"error,omitempty"`
	Fatal bool            `json:"fatal,omitempty"`
}

func documents(stream string) []result {
	out := []result{}
	dec := yaml.NewDecoder(bytes.NewReader([]byte(stream)))
	for {
		var doc interface{}
		err := dec.Decode(&doc)
		if err == io.EOF {
			return out
		}
		if err != nil {
			return append(out, result{Error: err.Error(), Fatal: true})
		}
		converted, err := convertToJSONableObject(doc, nil)
		var j []byte
		if err == nil {
			j, err = json.Marshal(converted)
		}
		if err != nil {
			out = append(out, result{Error: err.Error()})
		} else {
			out = append(out, result{JSON: j})
		}
	}
}

func main() {
	in, err := ioutil.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	var streams []string
	if err := json.Unmarshal(in, &streams); err != nil {
		panic(err)
	}
	all := make([][]result, len(streams))
	for i, s := range streams {
		all[i] = documents(s)
	}
	if err := json.NewEncoder(os.Stdout).Encode(all); err != nil {
		panic(err)
	}
}
