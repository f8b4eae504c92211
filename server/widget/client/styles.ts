/**
 * The widget's stylesheet, scoped to its shadow root. `.nc` resets every inherited property with
 * `all: initial`, so nothing the host page sets on <body> or `*` reaches the widget through the
 * shadow boundary. Sizes are in px, not rem, so the host's root font size does not matter either.
 */
export const css = `
.nc{all:initial;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c2024;--nc:#1f6feb}
.nc *{box-sizing:border-box;font:inherit;color:inherit;margin:0}
[hidden]{display:none!important}
.launcher{position:fixed;bottom:20px;z-index:2147483000;display:flex;align-items:center;gap:8px;height:52px;padding:0 20px;border:0;border-radius:26px;background:var(--nc);color:#fff;font-weight:600;cursor:pointer;box-shadow:0 4px 16px rgba(0,0,0,.25)}
.right .launcher,.right .panel{right:20px}
.left .launcher,.left .panel{left:20px}
.launcher:focus-visible,.nc button:focus-visible,.nc input:focus-visible,.nc textarea:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.badge{min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#d1242f;color:#fff;font-size:12px;line-height:20px;text-align:center}
.panel{position:fixed;bottom:84px;z-index:2147483000;display:flex;flex-direction:column;width:360px;height:540px;max-width:calc(100vw - 32px);max-height:calc(100vh - 104px);background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 8px 32px rgba(0,0,0,.28)}
@media (max-width:480px){.panel{left:0!important;right:0!important;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}}
.head{display:flex;align-items:center;justify-content:space-between;padding:14px 16px;background:var(--nc);color:#fff}
.head h2{font-size:16px;font-weight:600}
.close{width:32px;height:32px;border:0;border-radius:16px;background:transparent;color:#fff;font-size:22px;line-height:1;cursor:pointer}
.list{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:8px;list-style:none;background:#f6f8fa}
.msg{display:flex;flex-direction:column;max-width:80%;align-self:flex-start}
.msg .who{font-size:12px;color:#57606a;margin:0 0 2px 4px}
.msg .text{padding:8px 12px;border-radius:14px;background:#fff;border:1px solid #d8dee4;white-space:pre-wrap;overflow-wrap:anywhere}
.mine{align-self:flex-end}
.mine .text{background:var(--nc);border-color:transparent;color:#fff}
.pending{opacity:.6}
.choices{display:flex;flex-direction:column;align-items:flex-start;gap:6px;margin-top:6px}
.choice{padding:7px 12px;border:1px solid var(--nc);border-radius:16px;background:#fff;color:var(--nc);font-weight:600;text-align:left;cursor:pointer}
.choice:hover:not(:disabled){background:var(--nc);color:#fff}
.choice.person{border-style:dashed}
.choice:disabled{cursor:default;opacity:.55}
.choice[aria-pressed=true]{opacity:1;background:var(--nc);color:#fff}
.feedback{display:flex;align-items:center;flex-wrap:wrap;gap:6px;margin:6px 0 0 4px;font-size:12px;color:#57606a}
.feedback span{width:100%}
.vote{padding:3px 14px;border:1px solid #d0d7de;border-radius:12px;background:#fff;color:#1c2024;cursor:pointer}
.vote:hover:not(:disabled){border-color:var(--nc)}
.vote:disabled{opacity:.55;cursor:default}
.activity{align-self:center;max-width:90%;font-size:12px;color:#57606a;text-align:center}
.typing{padding:4px 16px;font-size:12px;color:#57606a;background:#f6f8fa}
.error{padding:6px 16px;font-size:13px;color:#a40e26;background:#ffebe9}
.prechat{display:flex;flex-direction:column;gap:6px;padding:10px 16px 0;border-top:1px solid #d8dee4}
.prechat p{font-size:12px;color:#57606a}
.prechat label{display:flex;flex-direction:column;font-size:12px;color:#57606a}
.nc input,.nc textarea{display:block;width:100%;padding:8px 10px;border:1px solid #d0d7de;border-radius:8px;background:#fff;color:#1c2024}
.composer{display:flex;gap:8px;align-items:flex-end;padding:10px 16px 14px}
.prechat[hidden]+.composer{border-top:1px solid #d8dee4}
.composer textarea{flex:1;min-height:40px;max-height:120px;resize:none}
.send{height:40px;padding:0 14px;border:0;border-radius:8px;background:var(--nc);color:#fff;font-weight:600;cursor:pointer}
.send:disabled{opacity:.5;cursor:default}
.attach{display:flex;align-items:center;justify-content:center;width:36px;height:40px;border:1px solid #d0d7de;border-radius:8px;background:#fff;color:#57606a;cursor:pointer}
.icon{flex:none;vertical-align:-4px;margin-right:4px}
.attach .icon{margin:0}
.tray{display:flex;flex-wrap:wrap;gap:6px;padding:8px 16px 0;list-style:none}
.chip{display:flex;align-items:center;gap:6px;max-width:100%;padding:4px 6px;border:1px solid #d0d7de;border-radius:8px;background:#fff;font-size:12px}
.chip img{width:40px;height:40px;object-fit:cover;border-radius:4px}
.chip .name{max-width:150px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.remove{width:22px;height:22px;border:0;border-radius:11px;background:#eaeef2;cursor:pointer;line-height:1}
.dropping{outline:3px dashed var(--nc);outline-offset:-6px}
.dropping::after{content:attr(data-drop);position:absolute;inset:auto 0 50% 0;text-align:center;font-weight:600;color:var(--nc)}
.files{display:flex;flex-direction:column;gap:4px;margin-top:4px;list-style:none}
.thumb img{display:block;max-width:220px;max-height:180px;border-radius:10px;border:1px solid #d8dee4;background:#fff}
.file{display:inline-block;padding:6px 10px;border-radius:10px;border:1px solid #d8dee4;background:#fff;color:#0550ae;text-decoration:underline}
.rating{align-self:stretch;padding:10px 12px;border:1px solid #d8dee4;border-radius:12px;background:#fff}
.csat{display:flex;flex-direction:column;gap:8px}
.csat fieldset{border:0;padding:0}
.csat legend{font-weight:600;margin-bottom:4px}
.stars{display:flex;gap:4px}
.star{position:relative;font-size:26px;line-height:1;color:#d0d7de;cursor:pointer}
.star input{position:absolute;opacity:0;width:100%;height:100%;margin:0;cursor:pointer}
.stars:has(input:checked) .star{color:#e3a008}
.star:has(input:checked)~.star{color:#d0d7de}
.star:has(input:focus-visible){outline:3px solid #ffbf47;outline-offset:2px;border-radius:4px}
.rate{align-self:flex-start;height:36px;padding:0 14px;border:0;border-radius:8px;background:var(--nc);color:#fff;font-weight:600;cursor:pointer}
.rate:disabled{opacity:.5;cursor:default}
.thanks{font-weight:600;color:#1a7f37}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
