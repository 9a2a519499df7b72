"""Clearance's decisions enforced at the LiteLLM proxy: `clearance_litellm.hook.clearance_hook` is the callback
to register; `clearance_litellm.client` asks Clearance and caches its answers."""
