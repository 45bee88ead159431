FROM Alpine:3.21
