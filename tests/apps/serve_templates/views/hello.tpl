<html><body><h1>bottle hello v1</h1><p>pid={{pid}} </p></body></html>
