// A Go app with the standard library only (issue 27): Berth detects go.mod and
// runs the static binary on scratch; it listens on $PORT.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"runtime"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		_, certErr := os.Stat("/etc/ssl/certs/ca-certificates.crt")
		_, shellErr := os.Stat("/bin/sh")
		w.Header().Set("content-type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{
			"app":   "go-stdlib",
			"go":    runtime.Version(),
			"uid":   os.Getuid(),
			"certs": certErr == nil,
			"shell": shellErr == nil,
			"path":  r.URL.Path,
		})
	})
	log.Printf("listening on %s", port)
	log.Fatal(http.ListenAndServe(":"+port, nil))
}
