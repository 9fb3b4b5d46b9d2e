"""The Streamlit app: navigation (`registry`), the signed-in user (`session`), page furniture
(`ui`), one-sentence errors (`errors`), the data layer (`data`) and the pages (`pages`)."""
