"""File uploads: secure_filename(), a size limit, files saved under instance/."""

import os

from flask import Blueprint, abort, current_app, render_template, request
from werkzeug.utils import secure_filename

bp = Blueprint("uploads", __name__)

ALLOWED_EXTENSIONS = {"txt", "png", "jpg", "jpeg", "gif", "pdf"}


@bp.route("/upload", methods=["GET", "POST"])
def upload() -> str | tuple[str, int]:
    if request.method == "GET":
        return render_template("upload.html")
    file = request.files.get("file")
    if file is None or not file.filename:
        abort(400, description="Choose a file to upload.")
    # Never trust the client's file name: "../../etc/passwd" becomes "etc_passwd".
    filename = secure_filename(file.filename)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ALLOWED_EXTENSIONS:
        abort(400, description=f"Allowed file types: {', '.join(sorted(ALLOWED_EXTENSIONS))}.")
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    file.save(os.path.join(folder, filename))
    # Logging: messages go to the terminal that runs the app.
    current_app.logger.info("Saved upload %s", filename)
    return f"Saved {filename}", 201
