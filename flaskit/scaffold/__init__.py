"""``flaskit new``: project templates, name checks, the plan and the atomic write.

The steps, each in its own module:

* :mod:`~flaskit.scaffold.names` derives and checks the distribution and import names;
* :mod:`~flaskit.scaffold.catalog` finds a template (built-in, local folder, entry point);
* :mod:`~flaskit.scaffold.manifest` reads its ``template.toml``;
* :mod:`~flaskit.scaffold.answers` settles the variables (``--var``, prompts, defaults);
* :mod:`~flaskit.scaffold.render` is the sandboxed Jinja for contents, names and conditions;
* :mod:`~flaskit.scaffold.plan` lists every destination path with its action;
* :mod:`~flaskit.scaffold.writer` renders into a staging folder and moves it into place;
* :mod:`~flaskit.scaffold.create` runs the steps; :mod:`~flaskit.scaffold.show` prints them.
"""
