-- Drives `strata lsp` from Neovim's built-in LSP client (Neovim 0.7+),
-- headless: opens the Dockerfile in $STRATA_DOCKERFILE, waits for the
-- diagnostics, applies DL4000's quick fix, hovers on FROM, applies "fix
-- all safe problems", and writes what it saw as JSON to $STRATA_RESULT.
-- lsp_neovim_test.go checks the result.
local bin = os.getenv("STRATA_BIN")
local file = os.getenv("STRATA_DOCKERFILE")
local out = os.getenv("STRATA_RESULT")
local result = {}

local function write_result()
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(result))
  f:close()
end

local function lines(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
end

local function codes(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, { code = d.code, lnum = d.lnum, severity = d.severity, source = d.source, message = d.message })
  end
  return out
end

local function has_code(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then
      return true
    end
  end
  return false
end

-- code_actions asks the server for the actions on line (0-based).
local function code_actions(client, buf, line, only)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = { start = { line = line, character = 0 }, ["end"] = { line = line, character = 0 } },
    context = { diagnostics = {}, only = only },
  }
  local resp = client.request_sync("textDocument/codeAction", params, 10000, buf)
  assert(resp and not resp.err, "codeAction failed: " .. vim.inspect(resp))
  return resp.result or {}
end

local function find(actions, prefix)
  for _, a in ipairs(actions) do
    if a.title:sub(1, #prefix) == prefix then
      return a
    end
  end
  local titles = {}
  for _, a in ipairs(actions) do
    table.insert(titles, a.title)
  end
  error("no action " .. prefix .. " among " .. vim.inspect(titles))
end

local function main()
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local id = vim.lsp.start_client({
    name = "strata",
    cmd = { bin, "lsp", "--no-engine" },
    root_dir = vim.fn.fnamemodify(file, ":h"),
  })
  assert(id, "the client did not start")
  vim.lsp.buf_attach_client(buf, id)
  local client = vim.lsp.get_client_by_id(id)

  assert(vim.wait(30000, function() return has_code(buf, "DL4000") end, 20), "no DL4000 diagnostic within 30s")
  result.diagnostics = codes(buf)

  -- DL4000's quick fix, applied by Neovim itself.
  local fix = find(code_actions(client, buf, 1), "DL4000: ")
  result.fix_kind = fix.kind
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
  result.after_fix = lines(buf)
  -- Neovim sends the change; the finding goes away.
  assert(vim.wait(30000, function() return not has_code(buf, "DL4000") end, 20), "DL4000 still reported after its fix")
  result.diagnostics_after_fix = codes(buf)

  -- Hover on the FROM.
  local hover = client.request_sync("textDocument/hover", {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    position = { line = 0, character = 6 },
  }, 10000, buf)
  result.hover_from = hover and hover.result and hover.result.contents.value or ""

  -- Fix all safe problems: resolved through codeAction/resolve, which
  -- Neovim advertises.
  local all = find(code_actions(client, buf, 0, { "source.fixAll" }), "Fix all safe problems")
  if not all.edit then
    local resolved = client.request_sync("codeAction/resolve", all, 10000, buf)
    assert(resolved and not resolved.err, "resolve failed: " .. vim.inspect(resolved))
    all = resolved.result
    result.resolved = true
  end
  vim.lsp.util.apply_workspace_edit(all.edit, client.offset_encoding)
  result.after_fix_all = lines(buf)

  vim.lsp.stop_client(id)
  result.stopped = vim.wait(10000, function() return vim.lsp.client_is_stopped(id) end, 20)
end

local ok, err = pcall(main)
result.ok = ok
result.error = err and tostring(err) or nil
write_result()
vim.cmd("qall!")
