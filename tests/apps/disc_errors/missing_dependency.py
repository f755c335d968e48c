from flask import Flask

import no_such_dependency_for_flaskit_tests  # line 3

app = Flask(__name__)
