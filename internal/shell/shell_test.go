package shell

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func mustParse(t testing.TB, src string, opts ...Option) *Script {
	t.Helper()
	s, err := Parse(src, opts...)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return s
}

func names(cmds []*Command) []string {
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i] = c.Name
	}
	return out
}

func TestCommandsAndJoins(t *testing.T) {
	type cmd struct {
		name string
		args []string
		join Join
	}
	tests := []struct {
		src  string
		want []cmd
	}{
		{"a && b || c; d | e &", []cmd{{"a", nil, JoinAnd}, {"b", nil, JoinOr}, {"c", nil, JoinSemicolon}, {"d", nil, JoinPipe}, {"e", nil, JoinBackground}}},
		{"a\nb x\n\nc", []cmd{{"a", nil, JoinNewline}, {"b", []string{"x"}, JoinNewline}, {"c", nil, JoinEnd}}},
		{"{ a; b; } && c", []cmd{{"a", nil, JoinSemicolon}, {"b", nil, JoinAnd}, {"c", nil, JoinEnd}}},
		{"(cd /x && make) || true", []cmd{{"cd", []string{"/x"}, JoinAnd}, {"make", nil, JoinOr}, {"true", nil, JoinEnd}}},
		{`echo "a b" 'c d' e\ f "g\"h"`, []cmd{{"echo", []string{"a b", "c d", "e f", `g"h`}, JoinEnd}}},
		{"FOO=1 BAR=2", []cmd{{"", nil, JoinEnd}}},
		{"export A=1 B; let x=1", []cmd{{"export", []string{"A=1", "B"}, JoinSemicolon}, {"let", []string{"x=1"}, JoinEnd}}},
		{`echo $HOME "${X}y"`, []cmd{{"echo", []string{"$HOME", `"${X}y"`}, JoinEnd}}},
	}
	for _, tt := range tests {
		s := mustParse(t, tt.src)
		if len(s.Commands) != len(tt.want) {
			t.Errorf("%q: got commands %q, want %d", tt.src, names(s.Commands), len(tt.want))
			continue
		}
		for i, w := range tt.want {
			c := s.Commands[i]
			if c.Name != w.name || !reflect.DeepEqual(nilIfEmpty(c.Args), w.args) || c.Join != w.join {
				t.Errorf("%q cmd %d: got %q %q %v, want %q %q %v", tt.src, i, c.Name, c.Args, c.Join, w.name, w.args, w.join)
			}
			if c.Index != i {
				t.Errorf("%q cmd %d: Index = %d", tt.src, i, c.Index)
			}
		}
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func TestNestedContexts(t *testing.T) {
	src := `if grep -q x /etc/f; then apt-get update; else (cd /tmp && ls); fi
while read -r l; do echo "$l"; done < f
for p in $(cat pkgs.txt); do pip install "$p"; done
f() { rm -rf /x; }
case "$A" in a) echo a ;; esac
echo $(date) <(sort x) | tee y
! false`
	s := mustParse(t, src)
	get := func(name string) *Command {
		t.Helper()
		cs := s.Find(name)
		if len(cs) == 0 {
			t.Fatalf("no %s in %q", name, names(s.Commands))
		}
		return cs[0]
	}
	checks := []struct {
		name  string
		field func(*Command) bool
		want  bool
	}{
		{"grep", func(c *Command) bool { return c.InCondition }, true},
		{"apt-get", func(c *Command) bool { return c.InBranch && !c.InCondition }, true},
		{"cd", func(c *Command) bool { return c.InSubshell && c.InBranch }, true},
		{"read", func(c *Command) bool { return c.InCondition && c.InLoop }, true},
		{"cat", func(c *Command) bool { return c.InCmdSubst && !c.InLoop }, true},
		{"pip", func(c *Command) bool { return c.InLoop }, true},
		{"rm", func(c *Command) bool { return c.InFunction }, true},
		{"date", func(c *Command) bool { return c.InCmdSubst && !c.InPipeline() }, true},
		{"sort", func(c *Command) bool { return c.InCmdSubst }, true},
		{"tee", func(c *Command) bool { return c.InPipeline() && c.PipeStage == 1 }, true},
		{"false", func(c *Command) bool { return c.Negated }, true},
		{"echo", func(c *Command) bool { return c.Negated || c.InCmdSubst }, false},
	}
	for _, ck := range checks {
		if got := ck.field(get(ck.name)); got != ck.want {
			t.Errorf("%s: got %v, want %v", ck.name, got, ck.want)
		}
	}
	// Source order: echo (line 6) precedes date and sort nested in it.
	want := []string{"grep", "apt-get", "cd", "ls", "read", "echo", "cat", "pip", "rm", "echo", "echo", "date", "sort", "tee", "false"}
	if got := names(s.Commands); !reflect.DeepEqual(got, want) {
		t.Errorf("order:\n got %q\nwant %q", got, want)
	}
}

func TestPositions(t *testing.T) {
	src := "apt-get update \\\n  && apt-get install -y \\\n     curl"
	s := mustParse(t, src)
	if len(s.Commands) != 2 {
		t.Fatalf("got %q", names(s.Commands))
	}
	c := s.Commands[1]
	if c.Pos != (Pos{Line: 2, Col: 6, Offset: 22}) {
		t.Errorf("Pos = %+v", c.Pos)
	}
	if c.Text != "apt-get install -y \\\n     curl" {
		t.Errorf("Text = %q", c.Text)
	}
	w := c.ArgWords[2]
	if w.Value != "curl" || w.Pos.Line != 3 || w.Pos.Col != 6 || src[w.Pos.Offset:w.End.Offset] != "curl" {
		t.Errorf("word = %+v", w)
	}
	if got := c.NameWord.Pos; got.Line != 2 || got.Col != 6 {
		t.Errorf("NameWord.Pos = %+v", got)
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		src     string
		value   string
		literal bool
		glob    bool
	}{
		{`foo`, "foo", true, false},
		{`"a b"`, "a b", true, false},
		{`'a$b'`, "a$b", true, false},
		{`a\ b`, "a b", true, false},
		{`"x\$y\z"`, `x$y\z`, true, false},
		{`/var/lib/apt/lists/*`, "/var/lib/apt/lists/*", true, true},
		{`"/var/*"`, "/var/*", true, false},
		{`\*`, "*", true, false},
		{`$x`, "$x", false, false},
		{`"$(date)"`, `"$(date)"`, false, false},
		{`$'a\n'`, `$'a\n'`, false, false},
		{`pre"mid"'end'`, "premidend", true, false},
	}
	for _, tt := range tests {
		s := mustParse(t, "echo "+tt.src)
		w := s.Commands[0].ArgWords[0]
		if w.Value != tt.value || w.Literal != tt.literal || w.Glob != tt.glob || w.Raw != tt.src {
			t.Errorf("%s: got value %q literal %v glob %v raw %q", tt.src, w.Value, w.Literal, w.Glob, w.Raw)
		}
	}
}

func TestWrappers(t *testing.T) {
	tests := []struct {
		src      string
		name     string
		args     []string
		wrappers []string
		sudo     bool
		sudoArgs []string
		assigns  []string
	}{
		{"sudo apt-get install -y x", "apt-get", []string{"install", "-y", "x"}, []string{"sudo"}, true, nil, nil},
		{"sudo -E -u app -- pip install x", "pip", []string{"install", "x"}, []string{"sudo"}, true, []string{"-E", "-u", "app", "--"}, nil},
		{"sudo -uapp HOME=/h make", "make", nil, []string{"sudo"}, true, []string{"-uapp"}, []string{"HOME"}},
		{"FOO=1 env -i BAR=2 npm ci", "npm", []string{"ci"}, []string{"env"}, false, nil, []string{"FOO", "BAR"}},
		{"env --unset=X -C /app npm ci", "npm", []string{"ci"}, []string{"env"}, false, nil, nil},
		{"sudo env X=1 nice -n 10 nohup make -j4", "make", []string{"-j4"}, []string{"sudo", "env", "nice", "nohup"}, true, nil, []string{"X"}},
		{"nice -5 make", "make", nil, []string{"nice"}, false, nil, nil},
		{"timeout -s KILL 60 curl -f x", "curl", []string{"-f", "x"}, []string{"timeout"}, false, nil, nil},
		{"command -v curl", "command", []string{"-v", "curl"}, nil, false, nil, nil},
		{"command apt-get update", "apt-get", []string{"update"}, []string{"command"}, false, nil, nil},
		{"exec -a x gosu app node server.js", "node", []string{"server.js"}, []string{"exec", "gosu"}, false, nil, nil},
		{"xargs -r -n 1 -I{} rm -f {}", "rm", []string{"-f", "{}"}, []string{"xargs"}, false, nil, nil},
		{"sudo -v", "sudo", []string{"-v"}, nil, false, nil, nil},
		{"sudo", "sudo", nil, nil, false, nil, nil},
		{"env", "env", nil, nil, false, nil, nil},
		{"/usr/bin/sudo /usr/bin/apt-get update", "/usr/bin/apt-get", []string{"update"}, []string{"sudo"}, true, nil, nil},
	}
	for _, tt := range tests {
		s := mustParse(t, tt.src)
		c := s.Commands[0]
		var assigns []string
		for _, a := range c.Assigns {
			assigns = append(assigns, a.Name)
		}
		if c.Name != tt.name || !reflect.DeepEqual(nilIfEmpty(c.Args), tt.args) || !reflect.DeepEqual(c.Wrappers, tt.wrappers) ||
			c.Sudo != tt.sudo || !reflect.DeepEqual(c.SudoArgs, tt.sudoArgs) || !reflect.DeepEqual(assigns, tt.assigns) {
			t.Errorf("%q: got name %q args %q wrappers %q sudo %v sudoArgs %q assigns %q", tt.src, c.Name, c.Args, c.Wrappers, c.Sudo, c.SudoArgs, assigns)
		}
		if c.Pos.Offset != 0 || c.Text != tt.src {
			t.Errorf("%q: command span %q", tt.src, c.Text)
		}
		if c.Name == "apt-get" && !c.Is("apt-get") {
			t.Errorf("%q: Is(apt-get) false", tt.src)
		}
	}
	s := mustParse(t, "sudo apt-get update && echo ok")
	if !s.UsesSudo() {
		t.Error("UsesSudo false")
	}
	if mustParse(t, "echo sudo").UsesSudo() {
		t.Error("UsesSudo true for echo sudo")
	}
	c := mustParse(t, "DEBIAN_FRONTEND=noninteractive env PIP_NO_CACHE_DIR=1 pip install x").Commands[0]
	if v, ok := c.Env("PIP_NO_CACHE_DIR"); !ok || v != "1" || c.Assigns[1].Via != "env" || c.Assigns[1].Value.Pos.Col != 53 {
		t.Errorf("Env = %q %v %+v", v, ok, c.Assigns[1])
	}
	c = mustParse(t, `sudo HOME="$H" X='a b' make`).Commands[0]
	if c.Name != "make" || len(c.Assigns) != 2 || c.Assigns[0].Value.Literal || c.Assigns[0].Value.Raw != `"$H"` || c.Assigns[1].Value.Value != "a b" {
		t.Errorf("sudo assigns %q %+v", c.Name, c.Assigns)
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		src   string
		query []string
		want  bool
	}{
		{"apt-get install -qy foo", []string{"-y"}, true},
		{"apt-get install -qy foo", []string{"-q"}, true},
		{"apt-get install -qy foo", []string{"--yes"}, false},
		{"apt-get install --yes foo", []string{"-y", "--yes"}, true},
		{"apt-get install --assume-yes=true foo", []string{"--assume-yes"}, true},
		{"apt-get install -o APT::Get::Assume-Yes=true foo", []string{"-y"}, false},
		// -o takes a value: a following "-y" word is that value, not a flag.
		{"apt-get -o -y install foo", []string{"-y"}, false},
		{"apt-get install -- -y", []string{"-y"}, false},
		{"apt-get install -qq foo", []string{"-qq"}, true},
		{"apt-get install -q -q foo", []string{"-qq"}, false},
		{"apk add --no-cache x", []string{"no-cache"}, true},
		{"apk add -X http://r --no-cache x", []string{"--no-cache"}, true},
		{"tar -xzf x.tgz -C /opt", []string{"-z"}, true},
		// -f takes a value; the rest of the cluster is that value.
		{"tar -fxz x", []string{"-x"}, false},
		{"go build -tags netgo -o /app .", []string{"--tags"}, true},
		{"go build -o -tags .", []string{"-tags"}, false},
		{"rm -Rf /x", []string{"-r", "-R"}, true},
	}
	for _, tt := range tests {
		c := mustParse(t, tt.src).Commands[0]
		if got := c.HasFlag(tt.query...); got != tt.want {
			t.Errorf("%q HasFlag(%q) = %v, want %v", tt.src, tt.query, got, tt.want)
		}
	}
	c := mustParse(t, "apt-get install -qqy -q foo").Commands[0]
	if n := c.FlagCount("-q"); n != 3 {
		t.Errorf("FlagCount = %d", n)
	}
}

func TestFlagValue(t *testing.T) {
	tests := []struct {
		src   string
		query []string
		want  string
		ok    bool
	}{
		{"curl -o /tmp/x https://e", []string{"-o", "--output"}, "/tmp/x", true},
		{"curl -o/tmp/x https://e", []string{"-o"}, "/tmp/x", true},
		{"curl --output=/tmp/x https://e", []string{"-o", "--output"}, "/tmp/x", true},
		{"curl --output /tmp/x https://e", []string{"--output"}, "/tmp/x", true},
		{"curl -fsSLo /tmp/x https://e", []string{"-o"}, "/tmp/x", true},
		{"curl https://e", []string{"-o"}, "", false},
		// Unknown program: the queried name is taken to have a value.
		{"mytool --config c.yml -v", []string{"--config"}, "c.yml", true},
		{"mytool -Xfoo", []string{"-X"}, "foo", true},
		{"apt-get -o=Dpkg::Use-Pty=0 update", []string{"-o"}, "Dpkg::Use-Pty=0", true},
		{"apt-get -q=2 update", []string{"-q"}, "2", true},
		{"go build -ldflags=-s -o app", []string{"-ldflags"}, "-s", true},
		{"go build -ldflags '-s -w' -o app", []string{"-ldflags"}, "-s -w", true},
		{"npm install --prefix=$DIR x", []string{"--prefix"}, "$DIR", true},
		{"pip install -i a -i b x", []string{"-i", "--index-url"}, "b", true},
	}
	for _, tt := range tests {
		c := mustParse(t, tt.src).Commands[0]
		got, ok := c.FlagValue(tt.query...)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%q FlagValue(%q) = %q %v, want %q %v", tt.src, tt.query, got, ok, tt.want, tt.ok)
		}
	}
	c := mustParse(t, "dnf --enablerepo=a --enablerepo b install x").Commands[0]
	if got := c.FlagValues("--enablerepo"); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("FlagValues = %q", got)
	}
	ops := mustParse(t, "tar -C /opt -xzf x.tgz y").Commands[0].Operands()
	if len(ops) != 1 || ops[0].Value != "y" {
		t.Errorf("Operands = %+v", ops)
	}
}

func pkgStrings(op *PackageOp) []string {
	var out []string
	for _, p := range op.Packages {
		s := p.Name
		if p.Version != "" {
			s += " " + p.Op + " " + p.Version
		}
		out = append(out, s)
	}
	return out
}

func TestPackageOps(t *testing.T) {
	tests := []struct {
		src     string
		manager Manager
		action  Action
		verb    string
		pkgs    []string
	}{
		{"apt-get install -o Dpkg::Options::=--force-confnew -y foo", AptGet, ActionInstall, "install", []string{"foo"}},
		{"apt-get install -qy foo=1.2* bar/bookworm-backports", AptGet, ActionInstall, "install", []string{"foo = 1.2*", "bar"}},
		{"apt-get -t bookworm-backports install -y foo", AptGet, ActionInstall, "install", []string{"foo"}},
		{"apt-get -c /etc/apt.conf install ./x.deb", AptGet, ActionInstall, "install", []string{"./x.deb"}},
		{"apt install -y curl", Apt, ActionInstall, "install", []string{"curl"}},
		{"apt-get update", AptGet, ActionUpdate, "update", nil},
		{"apt-get purge -y --auto-remove curl", AptGet, ActionRemove, "purge", []string{"curl"}},
		{"apt-get dist-upgrade -y", AptGet, ActionUpgrade, "dist-upgrade", nil},
		{"aptitude install -y -t sid foo", Aptitude, ActionInstall, "install", []string{"foo"}},
		{"apk add --virtual .build-deps gcc", Apk, ActionInstall, "add", []string{"gcc"}},
		{"apk add -t .deps -X http://r -p /root2 --arch x86 musl=1.2 busybox~1.36 curl@edge", Apk, ActionInstall, "add", []string{"musl = 1.2", "busybox ~ 1.36", "curl"}},
		{"apk del .build-deps", Apk, ActionRemove, "del", []string{".build-deps"}},
		{"apk cache clean", Apk, ActionClean, "cache clean", nil},
		{"pip install -r requirements.txt -i https://x flask==2.0", Pip, ActionInstall, "install", []string{"flask == 2.0"}},
		{"pip3 install -c c.txt -e . --extra-index-url u --trusted-host h -t /t --prefix /p --root / -f l --cache-dir /c --platform any --python-version 3 'django>=4,<5' requests[socks]", Pip, ActionInstall, "install", []string{"django >= 4,<5", "requests"}},
		{"pip3.11 install x", Pip, ActionInstall, "install", []string{"x"}},
		{"python3 -m pip install --upgrade pip", Pip, ActionInstall, "install", []string{"pip"}},
		{"python -u -mpip install 'x ; python_version<\"3.8\"'", Pip, ActionInstall, "install", []string{"x"}},
		{"pip uninstall -y x", Pip, ActionRemove, "uninstall", []string{"x"}},
		{"pip download -d /w x==1", Pip, ActionDownload, "download", []string{"x == 1"}},
		{"pip cache purge", Pip, ActionClean, "cache purge", nil},
		{"npm install --prefix /app express@4", Npm, ActionInstall, "install", []string{"express @ 4"}},
		{"npm i -g @scope/pkg@1 @other/x lodash", Npm, ActionInstall, "i", []string{"@scope/pkg @ 1", "@other/x", "lodash"}},
		{"npm ci --omit dev", Npm, ActionInstall, "ci", nil},
		{"npm cache clean --force", Npm, ActionClean, "cache clean", nil},
		{"npm --registry r -w pkg install x", Npm, ActionInstall, "install", []string{"x"}},
		{"yarn", Yarn, ActionInstall, "", nil},
		{"yarn --frozen-lockfile --cwd /app --modules-folder m --cache-folder c", Yarn, ActionInstall, "", nil},
		{"yarn global add typescript@5", Yarn, ActionInstall, "global add", []string{"typescript @ 5"}},
		{"yarn cache clean", Yarn, ActionClean, "cache clean", nil},
		{"yarn --version", Yarn, ActionOther, "", nil},
		{"pnpm add -D vite", Pnpm, ActionInstall, "add", []string{"vite"}},
		{"gem install bundler -v 2.4.0", Gem, ActionInstall, "install", []string{"bundler -v 2.4.0"}},
		{"gem install -i /g -n /b --source s rails:7.0", Gem, ActionInstall, "install", []string{"rails : 7.0"}},
		{"go install -ldflags '-s -w' golang.org/x/tools/gopls@v0.14.0", Go, ActionInstall, "install", []string{"golang.org/x/tools/gopls @ v0.14.0"}},
		{"go mod download", Go, ActionDownload, "mod download", nil},
		{"go build -o /app -tags x ./cmd", Go, ActionOther, "build", nil},
		{"yum install -y --enablerepo=e --setopt=tsflags=nodocs httpd-2.4.6 java-11-openjdk", Yum, ActionInstall, "install", []string{"httpd - 2.4.6", "java-11-openjdk"}},
		{"yum -c /etc/y.conf --installroot /r --releasever 8 install x-1.2-3.el8", Yum, ActionInstall, "install", []string{"x - 1.2-3.el8"}},
		{"yum clean all", Yum, ActionClean, "clean", nil},
		{"dnf -y module install nodejs:18", Dnf, ActionInstall, "module install", []string{"nodejs:18"}},
		{"microdnf install -y --nodocs python3", Microdnf, ActionInstall, "install", []string{"python3"}},
		{"zypper -n install -r repo --from r2 curl=8.0 'vim>=9'", Zypper, ActionInstall, "install", []string{"curl = 8.0", "vim >= 9"}},
		{"zypper --non-interactive in -t pattern devel_basis", Zypper, ActionInstall, "in", []string{"devel_basis"}},
		{"bundle install --jobs 4 --without dev", Bundle, ActionInstall, "install", nil},
		{"composer require monolog/monolog:^3.0", Composer, ActionInstall, "require", []string{"monolog/monolog : ^3.0"}},
		{"cargo install ripgrep --version 14.0.0 --root /usr/local", Cargo, ActionInstall, "install", []string{"ripgrep --version 14.0.0"}},
		{"cargo install --locked just@1.0", Cargo, ActionInstall, "install", []string{"just @ 1.0"}},
		{"sudo -E apt-get install -y git", AptGet, ActionInstall, "install", []string{"git"}},
	}
	for _, tt := range tests {
		s := mustParse(t, tt.src)
		ops := s.PackageOps()
		if len(ops) != 1 {
			t.Errorf("%q: %d ops", tt.src, len(ops))
			continue
		}
		op := ops[0]
		if op.Manager != tt.manager || op.Action != tt.action || op.Verb != tt.verb || !reflect.DeepEqual(pkgStrings(op), tt.pkgs) {
			t.Errorf("%q:\n got %s %s %q %q\nwant %s %s %q %q", tt.src, op.Manager, op.Action, op.Verb, pkgStrings(op), tt.manager, tt.action, tt.verb, tt.pkgs)
		}
		for _, p := range op.Packages {
			if w := op.Command.ArgWords[p.Word]; w.Value != p.Raw || w.Pos != p.Pos {
				t.Errorf("%q: package %q word index %d points at %q", tt.src, p.Name, p.Word, w.Value)
			}
		}
	}
}

func TestPackageDetails(t *testing.T) {
	op := mustParse(t, "apk add --virtual .build-deps gcc").PackageOps()[0]
	if v, ok := op.FlagValue("--virtual", "-t"); !ok || v != ".build-deps" {
		t.Errorf("virtual = %q %v", v, ok)
	}
	op = mustParse(t, "npm install --prefix /app express@4").PackageOps()[0]
	if v, _ := op.FlagValue("--prefix"); v != "/app" || op.Packages[0].Name != "express" {
		t.Errorf("npm prefix %q packages %+v", v, op.Packages)
	}
	op = mustParse(t, `pip install "flask[async,dotenv]==2.0" ./pkg git+https://g/x.git dist/x-1.0-py3-none-any.whl "x @ https://u/x.zip"`).PackageOps()[0]
	p := op.Packages
	if !reflect.DeepEqual(p[0].Extras, []string{"async", "dotenv"}) || !p[1].Local || !p[2].URL || !p[3].Local || !p[4].URL || p[4].Name != "x" {
		t.Errorf("pip packages %+v", p)
	}
	op = mustParse(t, "npm install user/repo ./local.tgz https://x/y.tgz").PackageOps()[0]
	if !op.Packages[0].URL || !op.Packages[1].Local || !op.Packages[2].URL {
		t.Errorf("npm packages %+v", op.Packages)
	}
	op = mustParse(t, `apt-get install -y "$PKGS" curl`).PackageOps()[0]
	if op.Packages[0].Literal || !op.Packages[1].Literal {
		t.Errorf("literal flags %+v", op.Packages)
	}
	op = mustParse(t, "apt-get install -y bar/stable").PackageOps()[0]
	if op.Packages[0].Release != "stable" {
		t.Errorf("release %+v", op.Packages[0])
	}
	op = mustParse(t, "yum clean all").PackageOps()[0]
	if len(op.Operands) != 1 || op.Operands[0].Value != "all" {
		t.Errorf("operands %+v", op.Operands)
	}
	if len(mustParse(t, "python3 -c 'import pip' && python3 -m venv /v && pipenv install").PackageOps()) != 0 {
		t.Error("non-pip python invocations taken as pip")
	}
	s := mustParse(t, "apt-get update && apt-get install -y x && pip install y")
	if got := s.PackageOpsFor(ActionInstall, AptGet, Apt); len(got) != 1 || !got[0].IsAptInstall() {
		t.Errorf("PackageOpsFor = %v", got)
	}
	if got := s.PackageOpsFor("", AptGet); len(got) != 2 {
		t.Errorf("PackageOpsFor any action = %d", len(got))
	}
}

func TestPackagePredicates(t *testing.T) {
	tests := []struct {
		src                 string
		yes, norec, nocache bool
	}{
		{"apt-get install foo", false, false, false},
		{"apt-get install -y foo", true, false, false},
		{"apt-get install -qy foo", true, false, false},
		{"apt-get -y install foo", true, false, false},
		{"apt-get --yes install foo", true, false, false},
		{"apt-get --assume-yes install foo", true, false, false},
		{"apt-get install -q foo", false, false, false},
		{"apt-get install --quiet foo", false, false, false},
		{"apt-get install -qq foo", true, false, false},
		{"apt-get install -q -q foo", true, false, false},
		{"apt-get install -q=2 foo", true, false, false},
		{"apt-get install --quiet=2 foo", true, false, false},
		{"apt-get install -o APT::Get::Assume-Yes=true foo", true, false, false},
		{"apt-get install -y --no-install-recommends foo", true, true, false},
		{"apt-get install -y -o APT::Install-Recommends=false foo", true, true, false},
		{"apt install -y --no-install-recommends foo", true, true, false},
		{"aptitude install -y -R foo", true, true, false},
		{"apk add foo", true, false, false},
		{"apk add --no-cache foo", true, false, true},
		{"apk add -i foo", false, false, false},
		{"pip install foo", true, false, false},
		{"pip install --no-cache-dir foo", true, false, true},
		{"PIP_NO_CACHE_DIR=1 pip install foo", true, false, true},
		{"PIP_NO_CACHE_DIR=off pip install foo", true, false, false},
		{"export PIP_NO_CACHE_DIR=true && pip install foo", true, false, true},
		{"PIP_NO_CACHE_DIR=1; pip install foo", true, false, false},
		{"pip uninstall foo", false, false, false},
		{"pip uninstall -y foo", true, false, false},
		{"yum install foo", false, false, false},
		{"yum install -y foo", true, false, false},
		{"dnf install --assumeyes --setopt=install_weak_deps=False foo", true, true, false},
		{"microdnf install -y --setopt=install_weak_deps=0 foo", true, true, false},
		{"zypper install foo", false, false, false},
		{"zypper -n install --no-recommends foo", true, true, false},
		{"zypper --non-interactive install foo", true, false, false},
		{"zypper install -y foo", true, false, false},
		{"npm install foo", true, false, false},
		{"composer install", false, false, false},
		{"composer install -n", true, false, false},
	}
	for _, tt := range tests {
		ops := mustParse(t, tt.src).PackageOps()
		if len(ops) != 1 {
			t.Fatalf("%q: %d ops", tt.src, len(ops))
		}
		op := ops[0]
		if op.AssumesYes() != tt.yes || op.NoRecommends() != tt.norec || op.NoCache() != tt.nocache {
			t.Errorf("%q: yes %v norec %v nocache %v, want %v %v %v", tt.src, op.AssumesYes(), op.NoRecommends(), op.NoCache(), tt.yes, tt.norec, tt.nocache)
		}
	}
}

func TestRemovesPath(t *testing.T) {
	tests := []struct {
		src    string
		after  string // name of the command removals must follow; "" for anywhere
		path   string
		want   bool
		option []Option
	}{
		{"apt-get update && rm -rf /var/lib/apt/lists/*", "apt-get", "/var/lib/apt/lists/partial", true, nil},
		{"apt-get update && rm -rf /var/lib/apt/lists/*", "apt-get", "/var/lib/apt/lists/*", true, nil},
		{"apt-get update && rm -rf /var/lib/apt/lists/*", "apt-get", "/var/lib/apt/lists", false, nil},
		{"apt-get update && rm -rf /var/lib/apt/lists", "apt-get", "/var/lib/apt/lists/partial/x", true, nil},
		{"apt-get update && rm -rf /var/lib/apt", "apt-get", "/var/lib/apt/lists/*", true, nil},
		// Removal before the creating command does not count.
		{"rm -rf /var/lib/apt/lists/* && apt-get update", "apt-get", "/var/lib/apt/lists/partial", false, nil},
		{"rm -rf /var/lib/apt/lists/* && apt-get update", "", "/var/lib/apt/lists/partial", true, nil},
		// Non-recursive rm only removes exact matches.
		{"apk add x && rm -f /var/cache/apk/*", "apk", "/var/cache/apk/*", true, nil},
		{"apk add x && rm -f /var/cache/apk", "apk", "/var/cache/apk/x", false, nil},
		{"apk add x && rm /var/cache/apk/APKINDEX.tar.gz", "apk", "/var/cache/apk/APKINDEX.tar.gz", true, nil},
		// Quoted glob is literal.
		{`x && rm -rf "/var/cache/apk/*"`, "x", "/var/cache/apk/foo", false, nil},
		{"x && rm -rf /var/cache/apk/*.gz", "x", "/var/cache/apk/*", false, nil},
		{"x && rm -rf /var/cache/{apk,apt}/*", "x", "/var/cache/apt/archives", true, nil},
		{"x && rm -rf /tmp/a", "x", "/var/cache/apk/*", false, nil},
		{"x && rm -r -f /var/cache/apk", "x", "/var/cache/apk/*", true, nil},
		{"x && rm --recursive --force /var/cache/apk/", "x", "/var/cache/apk/*", true, nil},
		{"x && rm -rf -- /var/cache/apk", "x", "/var/cache/apk/*", true, nil},
		// Relative paths resolved through cd and WithWorkdir.
		{"x && cd /var/lib/apt && rm -rf lists/*", "x", "/var/lib/apt/lists/partial", true, nil},
		{"x && (cd /var/lib/apt) && rm -rf lists/*", "x", "/var/lib/apt/lists/partial", false, nil},
		{"x && rm -rf lists", "x", "/var/lib/apt/lists/partial", true, []Option{WithWorkdir("/var/lib/apt")}},
		{"x && rm -rf lists", "x", "/var/lib/apt/lists/partial", false, nil},
		// Home directory.
		{"x && rm -rf ~/.cache/pip", "x", "/root/.cache/pip/*", true, nil},
		{`x && rm -rf "$HOME/.cache"`, "x", "/root/.cache/pip/*", true, nil},
		{"x && rm -rf ${HOME}/.cache", "x", "/home/app/.cache/pip/*", true, []Option{WithHome("/home/app")}},
		{"x && rm -rf $CACHE", "x", "/root/.cache/pip/*", false, nil},
		// find.
		{"x && find /var/cache/apt -type f -delete", "x", "/var/cache/apt/archives/x.deb", true, nil},
		{"x && find /var/lib/apt/lists -mindepth 1 -exec rm -rf {} +", "x", "/var/lib/apt/lists/*", true, nil},
		{"x && find / -name '*.pyc' -delete", "x", "/var/cache/apt/archives/x.deb", false, nil},
		{"x && find /var/cache -type f -print", "x", "/var/cache/x", false, nil},
		// Wrapped rm.
		{"x && sudo rm -rf /var/lib/apt/lists/*", "x", "/var/lib/apt/lists/partial", true, nil},
	}
	for _, tt := range tests {
		s := mustParse(t, tt.src, tt.option...)
		var after *Command
		if tt.after != "" {
			after = s.Find(tt.after)[0]
		}
		if got := s.RemovesPath(tt.path, after); got != tt.want {
			t.Errorf("%q RemovesPath(%q, %s) = %v, want %v", tt.src, tt.path, tt.after, got, tt.want)
		}
	}
}

func TestCleans(t *testing.T) {
	tests := []struct {
		src  string
		fn   func(*Script) bool
		want bool
	}{
		{"apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*", (*Script).CleansAptLists, true},
		{"apt-get update && apt-get install -y x", (*Script).CleansAptLists, false},
		{"rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y x", (*Script).CleansAptLists, false},
		{"apt-get update && apt-get install -y x && apt-get distclean", (*Script).CleansAptLists, true},
		{"apt-get install -y x && apt-get clean", (*Script).CleansAptCache, true},
		{"apt-get clean && apt-get install -y x", (*Script).CleansAptCache, false},
		{"apt-get install -y x && rm -rf /var/cache/apt/*", (*Script).CleansAptCache, true},
		{"apk add x && rm -rf /var/cache/apk/*", (*Script).CleansApkCache, true},
		{"apk add x && apk cache clean", (*Script).CleansApkCache, true},
		{"apk add x", (*Script).CleansApkCache, false},
		{"yum install -y x && yum clean all", (*Script).CleansYumCache, true},
		{"yum install -y x && yum clean packages", (*Script).CleansYumCache, false},
		{"yum install -y x && rm -rf /var/cache/yum", (*Script).CleansYumCache, true},
		{"dnf install -y x && dnf clean all", (*Script).CleansDnfCache, true},
		{"microdnf install -y x && microdnf clean all", (*Script).CleansDnfCache, true},
		{"dnf install -y x", (*Script).CleansDnfCache, false},
		{"zypper -n in x && zypper clean -a", (*Script).CleansZypperCache, true},
		{"zypper -n in x && zypper cc", (*Script).CleansZypperCache, true},
		{"zypper -n in x", (*Script).CleansZypperCache, false},
		{"npm ci && npm cache clean --force", (*Script).CleansNpmCache, true},
		{"npm ci && npm cache clean", (*Script).CleansNpmCache, false},
		{"npm ci && rm -rf /root/.npm", (*Script).CleansNpmCache, true},
		{"yarn install && yarn cache clean", (*Script).CleansYarnCache, true},
		{"pip install x && pip cache purge", (*Script).CleansPipCache, true},
		{"pip install x && rm -rf /root/.cache", (*Script).CleansPipCache, true},
		{"pip install x", (*Script).CleansPipCache, false},
		{"gem install x && rm -rf /root/.gem", (*Script).CleansGemCache, true},
		{"bundle install && rm -rf /usr/local/bundle/cache/*.gem", (*Script).CleansGemCache, false},
		{"bundle install && rm -rf /usr/local/bundle/cache", (*Script).CleansGemCache, true},
		{"composer install && composer clear-cache", (*Script).CleansComposerCache, true},
		{"go install x@latest && go clean -modcache -cache", (*Script).CleansGoCache, true},
		{"go install x@latest && go clean", (*Script).CleansGoCache, false},
	}
	for _, tt := range tests {
		if got := tt.fn(mustParse(t, tt.src)); got != tt.want {
			t.Errorf("%q: got %v, want %v", tt.src, got, tt.want)
		}
	}
	s := mustParse(t, "apk add --no-cache x && apk add y")
	if s.LastFill(CacheApk) != s.Commands[1] {
		t.Error("LastFill ignores NoCache")
	}
	if s.Cleans(Cache("nope"), nil) {
		t.Error("unknown cache cleaned")
	}
}

func TestPipelines(t *testing.T) {
	s := mustParse(t, "curl -fsSL https://x | tar -xz -C /opt && echo done | tee log | wc -l")
	ps := s.Pipelines()
	if len(ps) != 2 || ps[0].Stages != 2 || ps[1].Stages != 3 {
		t.Fatalf("pipelines %+v", ps)
	}
	if ps[0].Text != "curl -fsSL https://x | tar -xz -C /opt" || !reflect.DeepEqual(names(ps[1].Commands), []string{"echo", "tee", "wc"}) {
		t.Errorf("pipelines %+v", ps)
	}
	if c := s.Find("tee")[0]; c.Pipeline != 1 || c.PipeStage != 1 || c.Join != JoinPipe {
		t.Errorf("tee %+v", c)
	}
	if c := s.Find("tar")[0]; c.Join != JoinAnd {
		t.Errorf("tar join %v", c.Join)
	}
	if !s.HasPipes() || mustParse(t, "a || b").HasPipes() {
		t.Error("HasPipes")
	}
}

func TestHasPipefail(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{"set -o pipefail && curl x | sh", true},
		{"set -euo pipefail; curl x | sh", true},
		{"set -eo pipefail\ncurl x | sh", true},
		{"set -e -o pipefail; curl x | sh", true},
		{"set -o errexit -o pipefail; curl x | sh", true},
		{"curl x | sh; set -o pipefail", false},
		{"set -o pipefail; set +o pipefail; curl x | sh", false},
		{"(set -o pipefail); curl x | sh", false},
		{"set -e; curl x | sh", false},
		{"set -o pipefail", true},
		{"echo set -o pipefail; a | b", false},
	}
	for _, tt := range tests {
		if got := mustParse(t, tt.src).HasPipefail(); got != tt.want {
			t.Errorf("%q: %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestShellForms(t *testing.T) {
	tests := []struct {
		shell           []string
		posix, pipefail bool
	}{
		{nil, true, false},
		{[]string{"/bin/sh", "-c"}, true, false},
		{[]string{"/bin/bash", "-o", "pipefail", "-c"}, true, true},
		{[]string{"/bin/bash", "-eo", "pipefail", "-c"}, true, true},
		{[]string{"/bin/bash", "-euxo", "pipefail", "-c"}, true, true},
		{[]string{"/bin/bash", "-o", "pipefail", "+o", "pipefail", "-c"}, true, false},
		{[]string{"/bin/bash", "-c", "-o", "pipefail"}, true, false},
		{[]string{"/usr/bin/env", "bash", "-o", "pipefail", "-c"}, true, true},
		{[]string{"conda", "run", "-n", "env", "/bin/bash", "-c"}, true, false},
		{[]string{"/bin/zsh", "-c"}, true, false},
		{[]string{"powershell", "-Command"}, false, false},
		{[]string{"pwsh", "-c"}, false, false},
		{[]string{"cmd", "/S", "/C"}, false, false},
		{[]string{`C:\Windows\System32\cmd.exe`, "/S", "/C"}, false, false},
		{[]string{"powershell.exe", "-Command", "$ErrorActionPreference = 'Stop';"}, false, false},
		{[]string{"/usr/bin/python3", "-c"}, false, false},
	}
	for _, tt := range tests {
		if got := IsPOSIXShell(tt.shell); got != tt.posix {
			t.Errorf("IsPOSIXShell(%q) = %v", tt.shell, got)
		}
		if got := ShellHasPipefail(tt.shell); got != tt.pipefail {
			t.Errorf("ShellHasPipefail(%q) = %v", tt.shell, got)
		}
	}
}

func TestShebang(t *testing.T) {
	tests := []struct {
		src   string
		argv  []string
		posix bool
	}{
		{"#!/usr/bin/env python3\nprint(1)\n", []string{"/usr/bin/env", "python3"}, false},
		{"#!/bin/bash -e\necho hi", []string{"/bin/bash", "-e"}, true},
		{"#!/bin/sh", []string{"/bin/sh"}, true},
		{"echo hi", nil, true},
		{"#!\necho", nil, true},
	}
	for _, tt := range tests {
		got := Shebang(tt.src)
		if !reflect.DeepEqual(got, tt.argv) || IsPOSIXShell(got) != tt.posix {
			t.Errorf("Shebang(%q) = %q (posix %v)", tt.src, got, IsPOSIXShell(got))
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src        string
		line, col  int
		incomplete bool
		opts       []Option
	}{
		{`echo "unterminated`, 1, 6, true, nil},
		{"apt-get update &&\napt-get install (", 2, 17, false, nil},
		{"if true; then\n  echo x\n", 1, 1, true, nil},
		{"a && (b", 1, 6, true, nil},
		{"echo ok\nfoo )", 2, 5, false, nil},
		{"diff <(a) <(b)", 1, 6, false, []Option{WithLang(LangPOSIX)}},
	}
	for _, tt := range tests {
		s, err := Parse(tt.src, tt.opts...)
		if s != nil || err == nil {
			t.Errorf("%q: expected error", tt.src)
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %T is not *ParseError", tt.src, err)
			continue
		}
		if pe.Line != tt.line || pe.Col != tt.col || pe.Incomplete != tt.incomplete || pe.Msg == "" || pe.Unwrap() == nil {
			t.Errorf("%q: got %+v (%v), want %d:%d incomplete=%v", tt.src, pe, err, tt.line, tt.col, tt.incomplete)
		}
		if !strings.Contains(err.Error(), "line") {
			t.Errorf("%q: message %q", tt.src, err)
		}
	}
	if _, err := Parse("[[ -f x ]] && echo", WithLang(LangBash)); err != nil {
		t.Errorf("bash [[ ]]: %v", err)
	}
	if _, err := Parse("[[ -f x ]]", WithLang(LangMirBSDKorn)); err != nil {
		t.Errorf("mksh [[ ]]: %v", err)
	}
}

func TestHeredocBody(t *testing.T) {
	// Body of a Dockerfile RUN heredoc: separate lines, no && chaining.
	src := `set -eux
apt-get update
apt-get install -y --no-install-recommends \
    ca-certificates curl
cat > /etc/app.conf <<EOF
install $(hostname)
EOF
rm -rf /var/lib/apt/lists/*
`
	s := mustParse(t, src)
	want := []string{"set", "apt-get", "apt-get", "cat", "hostname", "rm"}
	if got := names(s.Commands); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if j := s.Commands[1].Join; j != JoinNewline {
		t.Errorf("join %v", j)
	}
	cat := s.Commands[3]
	if len(cat.Redirects) != 2 || cat.Redirects[0].Op != ">" || cat.Redirects[0].Target.Value != "/etc/app.conf" ||
		cat.Redirects[1].Op != "<<" || cat.Redirects[1].Heredoc != "install $(hostname)\n" {
		t.Errorf("redirects %+v", cat.Redirects)
	}
	if !s.Commands[4].InCmdSubst {
		t.Error("hostname not in command substitution")
	}
	ops := s.PackageOps()
	if len(ops) != 2 || !reflect.DeepEqual(ops[1].PackageNames(), []string{"ca-certificates", "curl"}) || ops[1].Packages[1].Pos.Line != 4 {
		t.Errorf("ops %+v", ops)
	}
	if !s.CleansAptLists() {
		t.Error("CleansAptLists false")
	}
}

func TestCDsFindWords(t *testing.T) {
	s := mustParse(t, "cd /app && sudo make install && cd - && /usr/bin/make")
	if len(s.CDs()) != 2 || len(s.Find("make")) != 2 {
		t.Errorf("CDs %d make %d", len(s.CDs()), len(s.Find("make")))
	}
	if d := s.Find("make")[0].Dir; d != "/app" {
		t.Errorf("Dir = %q", d)
	}
	if d := s.Find("make")[1].Dir; d != "" {
		t.Errorf("Dir after cd - = %q", d)
	}
	var raws []string
	for c, w := range s.Words() {
		if c.Is("make") {
			raws = append(raws, w.Raw)
		}
	}
	if want := []string{"sudo", "make", "install", "/usr/bin/make"}; !reflect.DeepEqual(raws, want) {
		t.Errorf("Words = %q", raws)
	}
}

func TestEnvExport(t *testing.T) {
	s := mustParse(t, "export A=1 && (export B=2; x) && declare -x C=3 && y")
	x, y := s.Find("x")[0], s.Find("y")[0]
	for _, tt := range []struct {
		c    *Command
		name string
		val  string
		ok   bool
	}{
		{x, "A", "1", true}, {x, "B", "2", true}, {y, "B", "", false}, {y, "C", "3", true}, {y, "A", "1", true},
	} {
		if v, ok := s.Env(tt.c, tt.name); v != tt.val || ok != tt.ok {
			t.Errorf("Env(%s, %s) = %q %v", tt.c.Name, tt.name, v, ok)
		}
	}
}
