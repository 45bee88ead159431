/* yamlstat: counts what a YAML document holds, with libyaml's parser. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <yaml.h>

static PyObject *count(PyObject *self, PyObject *args) {
    const char *text;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "s#", &text, &len)) {
        return NULL;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        return PyErr_NoMemory();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, (size_t)len);
    long mappings = 0, sequences = 0, scalars = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            PyErr_Format(PyExc_ValueError, "line %lu: %s",
                         (unsigned long)parser.problem_mark.line + 1,
                         parser.problem ? parser.problem : "invalid YAML");
            yaml_parser_delete(&parser);
            return NULL;
        }
        yaml_event_type_t type = event.type;
        yaml_event_delete(&event);
        if (type == YAML_MAPPING_START_EVENT) {
            mappings++;
        } else if (type == YAML_SEQUENCE_START_EVENT) {
            sequences++;
        } else if (type == YAML_SCALAR_EVENT) {
            scalars++;
        } else if (type == YAML_STREAM_END_EVENT) {
            break;
        }
    }
    yaml_parser_delete(&parser);
    return Py_BuildValue("{s:l,s:l,s:l}", "mappings", mappings, "sequences", sequences, "scalars", scalars);
}

static PyObject *libyaml_version(PyObject *self, PyObject *unused) {
    return PyUnicode_FromString(yaml_get_version_string());
}

static PyMethodDef methods[] = {
    {"count", count, METH_VARARGS, "Count the mappings, sequences and scalars of a YAML document."},
    {"libyaml_version", libyaml_version, METH_NOARGS, "The version of the libyaml the module is linked with."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "yamlstat", NULL, -1, methods};

PyMODINIT_FUNC PyInit_yamlstat(void) { return PyModule_Create(&module); }
