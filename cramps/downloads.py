import json


from diary.views import download



def _json_download(doc: dict, filename: str):
    return download(json.dumps(doc, ensure_ascii=False, indent=1), filename, "application/json")
