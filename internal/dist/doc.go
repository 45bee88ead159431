// Package dist holds the tests of the files at the top of the repository
// that take strata to where its users work: the pre-commit hooks
// (.pre-commit-hooks.yaml), the GitHub Action (action.yml) and strata's
// own image (Dockerfile, .dockerignore). It has no code of its own; each
// test runs its file the way the tool that reads it does: pre-commit,
// GitHub's runner (its steps, with sample inputs), the Docker Engine.
package dist
