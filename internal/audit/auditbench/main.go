// Command auditbench supports scripts/bench-audit.sh: it pushes a
// registry's worth of images (auditgen: 54 images in 9 repositories on 3
// base layer sets: Debian, Debian with a runtime layer, busybox with a
// tools layer; each image with an application layer of its own, 400 files
// of about 8 kB by default), then measures, alternating, RUNS times each:
//
//	(a) the floor: every distinct layer of those images analysed once, as
//	    a one-layer image (strata image's analysis and checks), JOBS at
//	    once;
//	(b) strata audit --format json of the prefix with an empty cache;
//	(c) the same again with the cache (b) left.
//
// It prints the medians (wall-clock and processor time) and the ratios
// (b)/(a) and (c)/(b), and exits 1 when (b) takes more than 1.3x (a) or
// (c) more than 10% of (b), or when the audit did not read each distinct
// layer exactly once (b), or read any (c). (b)/(a) is judged on wall-clock
// time, or on processor time when the machine's load average exceeds its
// CPUs (other work then decides the wall-clock times) or with -cpu.
//
// With -time-target=false the time of (b) is reported, not judged.
//
//	auditbench -registry HOST:PORT -strata BIN [-images 54] [-runs 3] [-jobs N]
//	           [-app-files 400] [-app-file-size 8000] [-time-target=false]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"golang.org/x/sync/errgroup"

	"github.com/stratatools/strata/internal/audit"
	"github.com/stratatools/strata/internal/audit/auditgen"
	"github.com/stratatools/strata/internal/build"
	"github.com/stratatools/strata/internal/image"
	"github.com/stratatools/strata/internal/image/check"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "auditbench:", err)
		os.Exit(1)
	}
}

func run() error {
	reg := flag.String("registry", os.Getenv("STRATA_REGISTRY"), "registry host:port (it must hold library/debian:bookworm and library/busybox:latest)")
	bin := flag.String("strata", "", "the strata binary")
	images := flag.Int("images", 54, "images to push")
	runs := flag.Int("runs", 3, "measurements of each")
	jobs := flag.Int("jobs", runtime.NumCPU(), "images and layers read at once")
	appFiles := flag.Int("app-files", 400, "files in each image's own application layer")
	appSize := flag.Int("app-file-size", 8000, "their average size in bytes")
	timeTarget := flag.Bool("time-target", true, "fail when (b) > 1.3x (a) (the other targets always apply)")
	onCPU := flag.Bool("cpu", false, "judge (b)/(a) on processor time even on an idle machine (both are printed)")
	flag.Parse()
	if *reg == "" || *bin == "" {
		return errors.New("-registry and -strata are required")
	}
	ctx := context.Background()
	prefix := build.NewName("audit-bench")
	start := time.Now()
	fx, err := auditgen.Push(ctx, auditgen.Spec{
		Registry: *reg, Prefix: prefix, Images: *images, Repos: 9, AppFiles: *appFiles, AppFileSize: *appSize,
		Bases: []auditgen.Base{
			{Name: "debian", Ref: *reg + "/library/debian:bookworm"},
			{Name: "python", Ref: *reg + "/library/debian:bookworm", Generated: 1, Files: 1500, FileSize: 10000},
			{Name: "tools", Ref: *reg + "/library/busybox:latest", Generated: 1, Files: 500, FileSize: 8000},
		},
	})
	if err != nil {
		return err
	}
	fmt.Printf("pushed %d images in 9 repositories under %s/%s (application layers of %d files of about %d bytes), %d distinct layers, in %.1f s; jobs %d\n",
		*images, *reg, prefix, *appFiles, *appSize, len(fx.Layers), time.Since(start).Seconds(), *jobs)

	// A first pass warms the registry's files in the page cache.
	if _, err := floor(ctx, fx, *jobs); err != nil {
		return err
	}
	var a, b, c, ca, cb, cc []float64
	failed := false
	for i := 0; i < *runs; i++ {
		fl, err := floor(ctx, fx, *jobs)
		if err != nil {
			return err
		}
		dir, err := os.MkdirTemp("", "auditbench-cache-")
		if err != nil {
			return err
		}
		cold, st, err := auditRun(*bin, dir, *reg+"/"+prefix, *jobs)
		if err != nil {
			return err
		}
		if st.LayersRead != len(fx.Layers) || st.Images != *images {
			fmt.Printf("run %d: the audit read %d layers of %d distinct, %d images of %d\n", i+1, st.LayersRead, len(fx.Layers), st.Images, *images)
			failed = true
		}
		warm, st2, err := auditRun(*bin, dir, *reg+"/"+prefix, *jobs)
		if err != nil {
			return err
		}
		if st2.LayersRead != 0 || st2.ImagesFromCache != *images {
			fmt.Printf("run %d: the warm audit read %d layers, %d images from the cache\n", i+1, st2.LayersRead, st2.ImagesFromCache)
			failed = true
		}
		_ = os.RemoveAll(dir)
		a, ca = append(a, fl.wall), append(ca, fl.cpu)
		b, cb = append(b, cold.wall), append(cb, cold.cpu)
		c, cc = append(c, warm.wall), append(cc, warm.cpu)
		fmt.Printf("run %d: floor %.3f s (cpu %.2f s), audit %.3f s (cpu %.2f s), warm audit %.3f s (cpu %.2f s)\n",
			i+1, fl.wall, fl.cpu, cold.wall, cold.cpu, warm.wall, warm.cpu)
	}
	ma, mb, mc := median(a), median(b), median(c)
	pa, pb, pc := median(ca), median(cb), median(cc)
	fmt.Printf("\n%-48s %8s %8s\n", "", "wall", "cpu")
	fmt.Printf("%-48s %7.3fs %7.2fs\n", "(a) floor: each distinct layer analysed once", ma, pa)
	fmt.Printf("%-48s %7.3fs %7.2fs   (b)/(a) = %.2f wall, %.2f cpu (target <= 1.30)\n", "(b) strata audit, empty cache", mb, pb, mb/ma, pb/pa)
	fmt.Printf("%-48s %7.3fs %7.2fs   (c)/(b) = %.3f wall, %.3f cpu (target <= 0.10)\n", "(c) strata audit, warm cache", mc, pc, mc/mb, pc/pb)
	// On a machine busy with other work the wall times measure the
	// scheduler: (b) is then judged on processor time.
	ratio, on := mb/ma, "wall-clock"
	if load := loadAverage(); load > float64(runtime.NumCPU()) {
		ratio, on = pb/pa, fmt.Sprintf("processor time (the load average, %.1f, exceeds the %d CPUs)", load, runtime.NumCPU())
	} else if *onCPU {
		ratio, on = pb/pa, "processor time (-cpu)"
	}
	if *timeTarget {
		fmt.Printf("(b)/(a) judged on %s: %.2f\n", on, ratio)
	}
	if (*timeTarget && ratio > 1.3) || mc > 0.10*mb {
		failed = true
	}
	if failed {
		return errors.New("a target was missed")
	}
	return nil
}

// loadAverage is the 1-minute load average, 0 when unknown.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	var l float64
	_, _ = fmt.Sscan(string(b), &l)
	return l
}

// timing is one measurement: wall and CPU seconds.
type timing struct{ wall, cpu float64 }

// floor analyses every distinct layer once, as a one-layer image, jobs at
// once, and returns the time it took.
func floor(ctx context.Context, fx *auditgen.Fixture, jobs int) (timing, error) {
	start, cpu0 := time.Now(), cpuSeconds()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for d, repo := range fx.Layers {
		g.Go(func() error {
			r, err := name.NewDigest(repo + "@" + d.String())
			if err != nil {
				return err
			}
			_, err = image.Analyze(gctx, &layerSource{ref: r, diffID: fx.DiffIDs[d]}, image.Options{Jobs: 1, Checks: check.All()})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return timing{}, err
	}
	return timing{wall: time.Since(start).Seconds(), cpu: cpuSeconds() - cpu0}, nil
}

// layerSource is one layer blob of a registry as an image of one layer.
type layerSource struct {
	ref    name.Digest
	diffID v1.Hash
}

func (s *layerSource) String() string { return "docker://" + s.ref.String() }

func (s *layerSource) Meta(context.Context) (*image.Meta, error) {
	cfg := &v1.ConfigFile{OS: "linux", Architecture: "amd64", RootFS: v1.RootFS{Type: "layers", DiffIDs: []v1.Hash{s.diffID}}}
	return &image.Meta{Transport: image.TransportRegistry, Ref: s.ref.String(), Config: cfg,
		Layers: []image.LayerMeta{{Key: s.ref.DigestStr(), Digest: s.ref.DigestStr(), Size: -1}}}, nil
}

func (s *layerSource) Walk(ctx context.Context, h image.Handler) error {
	m, err := s.Meta(ctx)
	if err != nil {
		return err
	}
	if err := h.Meta(m); err != nil {
		return err
	}
	l, err := remote.Layer(s.ref, remote.WithContext(ctx))
	if err != nil {
		return err
	}
	rc, err := l.Compressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := h.Layer(ctx, s.ref.DigestStr(), rc); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, rc)
	return err
}

// auditRun runs strata audit with the cache in dir and returns its time
// and statistics.
func auditRun(bin, dir, target string, jobs int) (timing, audit.Stats, error) {
	var out, errb bytes.Buffer
	cmd := exec.Command(bin, "audit", "--format", "json", "--no-progress", "--cache-dir", filepath.Join(dir, "c"), "-j", fmt.Sprint(jobs), target)
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	tm := timing{wall: time.Since(start).Seconds()}
	if ps := cmd.ProcessState; ps != nil {
		tm.cpu = (ps.UserTime() + ps.SystemTime()).Seconds()
	}
	if err != nil {
		return tm, audit.Stats{}, fmt.Errorf("strata audit: %v\n%s", err, errb.String())
	}
	var rep audit.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		return tm, audit.Stats{}, fmt.Errorf("strata audit's JSON: %w", err)
	}
	return tm, rep.Stats, nil
}

// cpuSeconds is the process's CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
