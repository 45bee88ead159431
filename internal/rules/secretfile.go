package rules

import "path"

// SecretFileName reports whether a build-context file, by its
// context-relative, slash-separated path alone, looks like a key or
// credential file to SD502. It reads nothing.
func SecretFileName(rel string) bool { return secretName(path.Base(rel), rel) }

// SecretFile reports whether the file rel of the build context dir is a
// key or credential file by SD502's judgement: by name, then by content
// when the file can be read (a certificate .pem or an .npmrc without a
// token is not one). It never returns the content.
func SecretFile(dir, rel string) bool { return secretFile(&BuildContext{Dir: dir}, rel) }
