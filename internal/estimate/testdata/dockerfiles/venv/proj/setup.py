from setuptools import setup
setup(name="proj", version="1.0")
