<html><body><h1>bottle page v1</h1><p>pid={{pid}} </p></body></html>
