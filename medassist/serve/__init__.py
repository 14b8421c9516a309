"""Serving the fine-tune: the Gradio demo (app), its chat service, prompting, settings, safety layer and OpenAI API."""
