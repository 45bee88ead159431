from setuptools import Extension, setup

setup(
    name="yamlstat",
    version="1.0",
    ext_modules=[Extension("yamlstat", ["yamlstat.c"], libraries=["yaml"])],
)
