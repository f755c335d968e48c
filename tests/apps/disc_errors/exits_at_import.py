import sys

sys.exit("this module calls sys.exit when imported")
